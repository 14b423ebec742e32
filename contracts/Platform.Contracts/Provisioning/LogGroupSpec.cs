namespace Platform.Contracts.Provisioning;

/// <summary>A CloudWatch Logs log group as the platform keeps it (AWS's own field names).</summary>
/// <param name="RetentionInDays">How long its raw events are kept, counted from ingestion; the default when absent.</param>
/// <param name="KmsKeyId">The KMS key AWS encrypts it with, recorded for compliance.</param>
/// <param name="Tags">Free-form tags.</param>
public sealed record LogGroupSpec(int? RetentionInDays, string? KmsKeyId, IReadOnlyDictionary<string, string>? Tags);
