namespace Platform.EventPatterns;

/// <summary>Why an event pattern (or an input path or transformer) was refused and where, so the author can find the mistake.</summary>
/// <param name="Path">Where in the pattern, as a JSON path (<c>$.detail.state[0].numeric</c>).</param>
/// <param name="Reason">What was wrong there.</param>
public sealed record EventPatternError(string Path, string Reason)
{
    public override string ToString() => $"at {Path}: {Reason}";
}

/// <summary>Carries an <see cref="EventPatternError"/> out of the recursive descent; never leaves the library.</summary>
internal sealed class EventPatternException(string path, string reason) : Exception($"at {path}: {reason}")
{
    public EventPatternError Error { get; } = new(path, reason);
}
