using System.Diagnostics;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// A service run as its own process (its own GC settings, as deployed) grows under hostile load and gives the memory
/// back at rest. In-process hosts share the test runner's GC, so only a real process can show this.
/// </summary>
public sealed class Memory_comes_back(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Key = "memory-test-admin-key-0123456789";
    private const long RestLimitBytes = 500L * 1024 * 1024;
    private const long PeakLimitBytes = 1024L * 1024 * 1024;

    private readonly PostgresServer _postgres = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _postgres.DisposeAsync().AsTask();

    [Fact]
    public async Task Provisioning_stays_under_a_gigabyte_through_forty_large_stack_dry_runs_and_under_500_MB_at_rest()
    {
        var port = LoopbackPorts.Free();
        using var service = StartService("Platform.Provisioning", port, new Dictionary<string, string>
        {
            [$"ConnectionStrings__{PlatformResources.ProvisioningDb}"] = _postgres.NewDatabaseConnectionString("memory"),
        });
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
            client.DefaultRequestHeaders.Add("X-Api-Key", Key);
            await WaitUntilHealthyAsync(client, service);

            var stack = LargeStack(resources: 7_000);
            long peak = 0;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, ResidentBytes(service));
                    await Task.Delay(100, CancellationToken.None);
                }
            });

            var statuses = new List<HttpStatusCode>();
            foreach (var round in Enumerable.Range(0, 5))
            {
                statuses.AddRange(await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
                {
                    using var content = new StringContent(stack, Encoding.UTF8, "application/yaml");
                    using var response = await client.PutAsync("/v1/stacks/memory-probe?dryRun=true", content);
                    return response.StatusCode;
                })));
            }
            await sampling.CancelAsync();
            await sampler;

            var rest = await Eventually.ObserveAsync(
                () => Task.FromResult(ResidentBytes(service)), bytes => bytes < RestLimitBytes, TimeSpan.FromSeconds(90));

            output.WriteLine($"peak RSS {peak / 1024 / 1024} MB; at rest {rest / 1024 / 1024} MB");
            Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
            Assert.True(peak < PeakLimitBytes, $"peak RSS {peak / 1024 / 1024} MB");
            Assert.True(rest < RestLimitBytes, $"RSS at rest {rest / 1024 / 1024} MB after 90 s");
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
        }
    }

    /// <summary>The service's own build output, started with <c>dotnet</c> as a deployment would.</summary>
    private static Process StartService(string name, int port, IDictionary<string, string> settings)
    {
        var directory = Path.Combine(SharedData.RepositoryRoot, "services", name, "bin", "Release", "net10.0");
        var assembly = Path.Combine(directory, name + ".dll");
        Assert.True(File.Exists(assembly), $"{assembly} is missing: build the solution in Release first (./platform test does).");
        var start = new ProcessStartInfo("dotnet", [assembly])
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment[$"ConnectionStrings__{PlatformResources.RabbitMq}"] = RabbitMqServer.ConnectionString;
        start.Environment["Platform__Bus__EntityPrefix"] = RabbitMqServer.NewEntityPrefix();
        start.Environment["Platform__Auth__BootstrapAdminKey"] = Key;
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        // Drained, so a chatty log never blocks the service on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilHealthyAsync(HttpClient client, Process service)
    {
        var status = await Eventually.ObserveAsync(async () =>
        {
            Assert.False(service.HasExited, $"the service exited with code {(service.HasExited ? service.ExitCode : 0)}");
            try
            {
                using var response = await client.GetAsync("/health");
                return response.StatusCode;
            }
            catch (HttpRequestException)
            {
                return HttpStatusCode.ServiceUnavailable;
            }
        }, code => code == HttpStatusCode.OK, TimeSpan.FromMinutes(3)); // a process start on a loaded 2-core machine
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static string LargeStack(int resources)
    {
        var yaml = new StringBuilder("resources:\n");
        for (var i = 0; i < resources; i++)
        {
            yaml.Append("  - kind: log-groups\n    name: memory-").Append(i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture))
                .Append('-').Append('x', 60).Append("\n    spec:\n      retentionInDays: 30\n");
        }
        return yaml.ToString();
    }

    private static long ResidentBytes(Process process)
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
