using System.ComponentModel.DataAnnotations;

namespace Platform.Compliance.Functions;

/// <summary>Settings of the compliance service's function calls (CUSTOM_LAMBDA rules, function remediations), bound from <c>Platform:Compliance:Functions</c>.</summary>
public sealed class FunctionOptions
{
    public const string Section = "Platform:Compliance:Functions";

    /// <summary>
    /// Functions may resolve to loopback, link-local, metadata or private addresses. Off by default (the SSRF guard);
    /// the AppHost turns it on so local listeners work, as it does alerting's <see cref="Platform.Http.OutboundAddresses.AllowPrivateTargetsSetting"/>.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>The key calls are signed with when the function names none. Never logged.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>How long one call may take (connect, send, answer).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:15:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest answer read (Lambda's synchronous answers are at most 6 MB); a larger one fails the call.</summary>
    [Range(1024, 6 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 1024 * 1024;
}
