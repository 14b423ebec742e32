namespace Platform.Ingestion.Pipeline;

/// <summary>Amazon Data Firehose HTTP endpoint delivery.</summary>
public sealed class FirehoseOptions
{
    /// <summary>
    /// The access key Firehose is configured to send (<c>X-Amz-Firehose-Access-Key</c>); an API key with the
    /// ingest or admin role is accepted as well.
    /// </summary>
    public string? AccessKey { get; set; }
}
