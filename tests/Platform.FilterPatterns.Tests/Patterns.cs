namespace Platform.FilterPatterns.Tests;

/// <summary>Parses a pattern the tests expect to be valid, failing with the parser's reason when it is not.</summary>
internal static class Patterns
{
    public static FilterPattern Parse(string text) =>
        FilterPattern.TryParse(text, out var error) ?? throw new Xunit.Sdk.XunitException($"'{text}' was refused {error}");

    public static FilterPatternError Refuse(string text)
    {
        Assert.Null(FilterPattern.TryParse(text, out var error));
        return error!;
    }

    /// <summary>The pattern matches <paramref name="matching"/> and not <paramref name="other"/>.</summary>
    public static void Separates(string pattern, string matching, string other)
    {
        var parsed = Parse(pattern);
        Assert.True(parsed.Match(matching).IsMatch, $"'{pattern}' should match '{matching}'");
        Assert.False(parsed.Match(other).IsMatch, $"'{pattern}' should not match '{other}'");
    }
}
