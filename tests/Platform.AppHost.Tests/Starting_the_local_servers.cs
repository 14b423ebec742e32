using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Platform.AppHost.Tests;

/// <summary>
/// Postgres and kinesalite started with the very command lines of the local model (on a scratch data folder
/// and a free port): they must refuse a login without the password and listen on 127.0.0.1 alone.
/// </summary>
public sealed class Starting_the_local_servers : IAsyncLifetime
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "platform-local-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<Process> _servers = [];
    private IDistributedApplicationTestingBuilder _builder = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_scratch);
        _builder = await AppHostModel.BuildAsync("Platform:Infrastructure=local");
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            if (!server.HasExited)
            {
                await LocalServerCommands.RunAsync("kill", ["-INT", server.Id.ToString(CultureInfo.InvariantCulture)]);
                if (!server.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    server.Kill();
                }
            }
            server.Dispose();
        }
        await _builder.DisposeAsync();
        // A server that was told to stop may still be writing its last WAL for a moment: the scratch goes once it has.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(_scratch, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 50)
            {
                await Task.Delay(200);
            }
        }
    }

    [Fact]
    public async Task Postgres_refuses_a_login_without_the_password_and_listens_on_loopback_only()
    {
        var postgres = _builder.Resource<ExecutableResource>(PlatformResources.Postgres);
        var args = (await postgres.ArgumentsOfAsync()).ToList();
        var binary = Assert.Single(args.Prepend(postgres.Command), a => a.EndsWith("/bin/postgres", StringComparison.Ordinal));
        var data = Path.Combine(_scratch, "data");
        await LocalServerCommands.InitDbLikePlatformRunAsync(Path.GetDirectoryName(binary)!, _scratch, data, AppHostModel.PostgresPassword);
        var port = LoopbackPorts.Free();
        // The wrapper that makes the stop a fast shutdown takes the data directory first.
        args[args.FindIndex(a => a.EndsWith("postgres-stop-fast.sh", StringComparison.Ordinal)) + 1] = data;
        args[args.IndexOf("-p") + 1] = port.ToString(CultureInfo.InvariantCulture);
        Start(postgres.Command, args);

        var withPassword = $"Host=127.0.0.1;Port={port};Username=postgres;Password={AppHostModel.PostgresPassword};Database=postgres;Timeout=2";
        await WaitUntilAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(withPassword);
            await connection.OpenAsync();
        });

        await Assert.ThrowsAnyAsync<NpgsqlException>(async () =>
        {
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=2");
            await connection.OpenAsync();
        });
        var wrong = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Password=guess;Database=postgres;Timeout=2");
            await connection.OpenAsync();
        });
        Assert.Equal(PostgresErrorCodes.InvalidPassword, wrong.SqlState);
        Assert.Equal([IPAddress.Loopback], ListeningAddresses(port));
    }

    [Fact]
    public async Task Kinesalite_listens_on_loopback_only()
    {
        var kinesis = _builder.Resource<ExecutableResource>(PlatformResources.Kinesis);
        var args = (await kinesis.ArgumentsOfAsync()).ToList();
        var port = LoopbackPorts.Free();
        args[args.IndexOf("--port") + 1] = port.ToString(CultureInfo.InvariantCulture);
        args[args.IndexOf("--path") + 1] = Path.Combine(_scratch, "kinesis");
        Start(kinesis.Command, args);

        await WaitUntilAsync(() =>
        {
            Assert.NotEmpty(ListeningAddresses(port));
            return Task.CompletedTask;
        });
        Assert.Equal([IPAddress.Loopback], ListeningAddresses(port));
    }

    private void Start(string command, IEnumerable<string> args)
    {
        var server = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{command} did not start.");
        // Drained, so a chatty server never blocks on a full pipe.
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        _servers.Add(server);
    }

    /// <summary>The addresses a TCP listener on <paramref name="port"/> is bound to, from /proc/net/tcp and tcp6.</summary>
    private static List<IPAddress> ListeningAddresses(int port)
    {
        const string Listen = "0A";
        var addresses = new List<IPAddress>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1].Split(':');
                if (fields[3] == Listen && int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    // Each 32-bit word of the address is printed in host (little-endian) order.
                    var bytes = Convert.FromHexString(local[0]);
                    for (var word = 0; word < bytes.Length; word += 4)
                    {
                        Array.Reverse(bytes, word, 4);
                    }
                    addresses.Add(new IPAddress(bytes));
                }
            }
        }
        return addresses;
    }

    private async Task WaitUntilAsync(Func<Task> ready)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await ready();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline && _servers.TrueForAll(s => !s.HasExited))
            {
                await Task.Delay(200);
            }
        }
    }
}
