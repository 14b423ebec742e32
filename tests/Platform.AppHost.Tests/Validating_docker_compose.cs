namespace Platform.AppHost.Tests;

/// <summary>Debian's docker-compose validates a file without a Docker engine; <c>./platform test</c> installs it.</summary>
public sealed class Validating_docker_compose
{
    [Fact]
    public async Task The_compose_file_is_valid_given_an_admin_key()
    {
        var (exitCode, output) = await DockerComposeConfigAsync(adminKey: "compose-test-key");

        Assert.True(exitCode == 0, $"docker-compose config failed ({exitCode}): {output}");
    }

    [Fact]
    public async Task The_compose_file_refuses_to_run_without_an_admin_key()
    {
        var (exitCode, output) = await DockerComposeConfigAsync(adminKey: null);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("PLATFORM_ADMIN_KEY", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_services_listen_on_the_same_ports_as_the_apphost()
    {
        var (exitCode, output) = await DockerComposeConfigAsync(adminKey: "compose-test-key", "--services");

        Assert.Equal(0, exitCode);
        var services = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Superset(
            new HashSet<string> { "postgres", "rabbitmq", "kinesis", "ingestion", "detection", "compliance", "alerting", "provisioning", "console" },
            services.ToHashSet());
        var compose = await File.ReadAllTextAsync(Path.Combine(SharedData.RepositoryRoot, "docker-compose.yml"));
        foreach (var port in new[] { "5101:8080", "5102:8080", "5103:8080", "5104:8080", "5105:8080", "5106:8080", "55432:5432", "55672:5672", "54567:4567" })
        {
            Assert.Contains($"\"127.0.0.1:{port}\"", compose, StringComparison.Ordinal);
        }
    }

    private static async Task<(int ExitCode, string Output)> DockerComposeConfigAsync(string? adminKey, string check = "-q")
    {
        // An empty env file: a developer's .env must not decide the outcome.
        var emptyEnvFile = Path.GetTempFileName();
        try
        {
            return await RunAsync(adminKey, ["--env-file", emptyEnvFile, "-f", Path.Combine(SharedData.RepositoryRoot, "docker-compose.yml"), "config", check]);
        }
        finally
        {
            File.Delete(emptyEnvFile);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string? adminKey, string[] arguments)
    {
        var start = new ProcessStartInfo("docker-compose", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = SharedData.RepositoryRoot,
        };
        start.Environment.Remove("PLATFORM_ADMIN_KEY");
        if (adminKey is not null)
        {
            start.Environment["PLATFORM_ADMIN_KEY"] = adminKey;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("docker-compose did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                "docker-compose is not installed: run ./platform test (it installs Debian's docker-compose), or apt-get install docker-compose.", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
