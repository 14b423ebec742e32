namespace Platform.FilterPatterns;

/// <summary>Why a filter pattern was refused and where, so the author can find the mistake without guessing.</summary>
/// <param name="Position">The 1-based character position the parser stopped at.</param>
/// <param name="Reason">What was wrong there.</param>
public sealed record FilterPatternError(int Position, string Reason)
{
    public override string ToString() => $"at character {Position}: {Reason}";
}

/// <summary>Carries a <see cref="FilterPatternError"/> out of the recursive descent; never leaves the library.</summary>
internal sealed class FilterPatternException(FilterPatternError error) : Exception(error.ToString())
{
    public FilterPatternError Error { get; } = error;
}
