namespace Platform.FilterPatterns.Tests;

/// <summary>AWS's documented space-delimited examples over an access log line.</summary>
public sealed class Space_delimited_patterns
{
    private const string Line = "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /apache_pb.gif HTTP/1.0\" 404 2326";
    private const string Ok = "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 200 512";

    [Theory]
    [InlineData("[ip, user, username, timestamp, request, status_code, bytes]", "only three fields")]
    [InlineData("[ip, user, username, timestamp, request, status_code = 404, bytes]", Ok)]
    [InlineData("[ip, user, username, timestamp, request, status_code = 4*, bytes]", Ok)]
    [InlineData("[ip, user, username, timestamp, request, status_code != 200, bytes]", Ok)]
    [InlineData("[ip, user, username, timestamp, request = \"*gif*\", status_code, bytes > 1000]", Ok)]
    [InlineData("[ip, user, username, timestamp, request = %\\.gif%, status_code, bytes]", Ok)]
    [InlineData("[..., status_code = 404, bytes]", Ok)]
    [InlineData("[ip, ..., status_code >= 400 && status_code < 500, bytes]", Ok)]
    [InlineData("[ip, user, username, timestamp, request, status_code = 404 || status_code = 410, bytes]", Ok)]
    [InlineData("[ip = 127.0.0.1, ..., status_code = 4* && bytes > 1000, bytes]", Ok)]
    public void A_documented_space_delimited_pattern_matches_its_example(string pattern, string other) =>
        Patterns.Separates(pattern, Line, other);

    [Fact]
    public void A_match_extracts_every_named_field_without_quotes_or_brackets()
    {
        var match = Patterns.Parse("[ip, user, username, timestamp, request, status_code, bytes]").Match(Line);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["$ip"] = "127.0.0.1", ["$user"] = "-", ["$username"] = "frank", ["$timestamp"] = "10/Oct/2000:13:25:15 -0700",
                ["$request"] = "GET /apache_pb.gif HTTP/1.0", ["$status_code"] = "404", ["$bytes"] = "2326",
            },
            match.ExtractedValues);
    }

    [Fact]
    public void An_ellipsis_in_the_middle_keeps_the_last_fields_at_the_end()
    {
        var match = Patterns.Parse("[ip, ..., status, size]").Match(Line);

        Assert.Equal(["127.0.0.1", "404", "2326"], [match.ExtractedValues["$ip"], match.ExtractedValues["$status"], match.ExtractedValues["$size"]]);
    }
}
