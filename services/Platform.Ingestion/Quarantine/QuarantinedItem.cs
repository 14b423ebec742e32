namespace Platform.Ingestion.Quarantine;

/// <summary>Input kept aside because it could not be decoded or parsed.</summary>
/// <remarks>
/// <see cref="OriginalSize"/> is the input's size; <see cref="Raw"/> holds at most the configured bound of it (and is
/// left out of lists).
/// </remarks>
public sealed record QuarantinedItem(
    long Id,
    DateTimeOffset ReceivedAt,
    string Source,
    string Origin,
    string Reason,
    int OriginalSize,
    byte[]? Raw);
