namespace Platform.Sigma;

/// <summary>An event to match: a JSON object and the log source it came from.</summary>
public readonly struct SigmaEvent(JsonElement document, SigmaLogSource logSource)
{
    /// <summary>The event document; a JSON object (for CloudTrail, the record itself).</summary>
    public JsonElement Document { get; } = document;

    public SigmaLogSource LogSource { get; } = logSource;
}
