using System.Diagnostics;

namespace Platform.Testing;

/// <summary>
/// What tests that start the AppHost's local servers themselves run: commands that must succeed, and the Postgres data
/// directory <c>./platform run</c> prepares.
/// </summary>
public static class LocalServerCommands
{
    /// <summary>
    /// As <c>./platform run</c> creates <c>.platform/postgres</c>: password logins only, the password from a file in
    /// <paramref name="scratch"/> (which, with <paramref name="data"/> under it, then belongs to the postgres user).
    /// </summary>
    public static async Task InitDbLikePlatformRunAsync(string bin, string scratch, string data, string password)
    {
        var passwordFile = Path.Combine(scratch, "password");
        await File.WriteAllTextAsync(passwordFile, password + "\n");
        await RunAsync("chown", ["-R", "postgres:postgres", scratch]);
        await RunAsync("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--",
            Path.Combine(bin, "initdb"), "-D", data, "--auth=scram-sha-256", $"--pwfile={passwordFile}", "-U", "postgres",
            "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"]);
    }

    /// <summary>Runs <paramref name="command"/> to its end and fails the test, with its output, unless it exits 0.</summary>
    public static async Task RunAsync(string command, string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{command} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}");
    }
}
