using System.ComponentModel.DataAnnotations;

namespace Platform.Alerting.Delivery;

/// <summary>Settings of delivery, bound from <c>Platform:Alerting:Delivery</c>.</summary>
public sealed class DeliveryOptions : LeasedWorkOptions
{
    public const string Section = "Platform:Alerting:Delivery";

    /// <summary>
    /// Targets may resolve to loopback, link-local, metadata or private addresses. Off by default (the SSRF guard);
    /// <c>./platform run</c> turns it on so local listeners work. The same setting as
    /// <see cref="Platform.Http.OutboundAddresses.AllowPrivateTargetsSetting"/>, which provisioning reads.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>The key webhooks and functions are signed with when their topic or function names none. Never logged.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>Attempts before a delivery is dead (the first included).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failed attempt; each further failure doubles it (with jitter) up to <see cref="MaxBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "7.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long one attempt may take (connect, send, answer) before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries one instance sends at once.</summary>
    [Range(1, 256)]
    public int ConcurrentSends { get; set; } = 16;

    /// <summary>
    /// The cap on pending deliveries: past it, scheduling fails (the message that asked is retried by the bus, and lands
    /// in its error queue if the backlog stays), rather than the table growing without bound.
    /// </summary>
    [Range(1, 100_000_000)]
    public int MaxPending { get; set; } = 100_000;

    /// <summary>The most of a response body kept per attempt.</summary>
    [Range(0, 65_536)]
    public int MaxResponseBytes { get; set; } = 4096;

    /// <summary>The largest body delivered (SNS's and Lambda's asynchronous limit is 256 KB).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>The SQS endpoint (an SQS-compatible server); AWS's regional endpoint when absent.</summary>
    public string? SqsServiceUrl { get; set; }

    /// <summary>The region of SQS queues named by URL when the URL does not say it.</summary>
    public string SqsRegion { get; set; } = "us-east-1";

    /// <summary>The SMTP server e-mail subscriptions are sent through.</summary>
    public string? SmtpHost { get; set; }

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    /// <summary>Whether to require STARTTLS (or TLS on connect for port 465).</summary>
    public bool SmtpUseTls { get; set; } = true;

    public string? SmtpUserName { get; set; }

    public string? SmtpPassword { get; set; }

    /// <summary>The From address of alert e-mails.</summary>
    public string SmtpFrom { get; set; } = "alerts@platform.local";
}
