namespace Platform.FilterPatterns.Tests;

/// <summary>AWS's documented term examples, each with a message that matches and one that does not.</summary>
public sealed class Terms_in_unstructured_messages
{
    [Theory]
    [InlineData("ERROR", "[ERROR] A fatal exception has occurred", "[INFO] all good")]
    [InlineData("ERROR", "[ERROR] A fatal exception has occurred", "[error] terms are case-sensitive")]
    [InlineData("ERROR ARGUMENTS", "[ERROR] Invalid ARGUMENTS passed", "[ERROR] A fatal exception")]
    [InlineData("?ERROR ?WARN", "[WARN] Running low on memory", "[INFO] all good")]
    [InlineData("\"Failed to process\"", "Failed to process the request", "Failed, to process")]
    [InlineData("ERROR -Exiting", "[ERROR] Caught IllegalArgumentException", "[ERROR] Exiting program")]
    [InlineData("%AUTHORIZED%", "[SUCCESS 200] AUTHORIZED REQUEST", "[INFO] anonymous")]
    [InlineData("%[hc]at$%", "the hat", "the hats")]
    [InlineData("%^[hc]at%", "cat on the mat", "the cat")]
    [InlineData("%colou?r%", "color", "colr")]
    [InlineData("%a{3,5}%", "baaab", "baab")]
    [InlineData("%\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}%", "from 10.0.0.1", "from host")]
    [InlineData("?\"Access Denied\" ?Unauthorized", "Access Denied for bob", "Access granted")]
    [InlineData("ERROR -\"not an error\"", "ERROR disk full", "ERROR: not an error")]
    public void A_documented_term_pattern_matches_its_example(string pattern, string matching, string other) =>
        Patterns.Separates(pattern, matching, other);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_pattern_matches_every_message(string pattern) => Assert.True(Patterns.Parse(pattern).Match("anything at all").IsMatch);

    [Fact]
    public void Terms_extract_no_values() => Assert.Empty(Patterns.Parse("ERROR").Match("ERROR x").ExtractedValues);
}
