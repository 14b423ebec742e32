using System.Diagnostics;

namespace Platform.AppHost.Infrastructure;

/// <summary>Where Postgres, RabbitMQ and the Kinesis endpoint come from.</summary>
public enum InfrastructureMode
{
    /// <summary>Containers on the local Docker engine.</summary>
    Containers,

    /// <summary>Processes from the machine's own binaries, data under <c>.platform/</c>.</summary>
    Local,

    /// <summary>Servers named in configuration: RDS, Amazon MQ, real Kinesis.</summary>
    External,
}

public static class InfrastructureModeSelection
{
    /// <summary><c>containers</c>, <c>local</c> or <c>external</c>; unset means containers where Docker answers, else local.</summary>
    public const string Setting = "Platform:Infrastructure";

    public static InfrastructureMode Resolve(IConfiguration configuration)
    {
        var configured = configuration[Setting];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return DockerEngineAnswers() ? InfrastructureMode.Containers : InfrastructureMode.Local;
        }
        return Enum.TryParse<InfrastructureMode>(configured, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new InvalidOperationException(
                $"{Setting} is '{configured}': use containers, local or external (or leave it unset to choose automatically).");
    }

    /// <summary>A Docker client alone is not enough: the engine must answer, and quickly.</summary>
    private static bool DockerEngineAnswers()
    {
        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (docker is null)
            {
                return false;
            }
            if (!docker.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                docker.Kill(entireProcessTree: true);
                return false;
            }
            return docker.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no docker binary
        }
    }
}
