namespace Platform.Quarantine;

/// <summary>A payload kept aside because it, or some of its records, could not be decoded or parsed.</summary>
/// <remarks>
/// <see cref="Rejected"/> counts its rejected records (1 when the payload was refused whole); <see cref="Reasons"/>
/// gives the first few, each with its line or record number.
/// <see cref="OriginalSize"/> is the payload's size; <see cref="Raw"/> holds at most the configured bound of it (and is
/// left out of lists).
/// </remarks>
public sealed record QuarantinedItem(
    long Id,
    DateTimeOffset ReceivedAt,
    string Source,
    string Origin,
    int Rejected,
    IReadOnlyList<string> Reasons,
    int OriginalSize,
    byte[]? Raw);
