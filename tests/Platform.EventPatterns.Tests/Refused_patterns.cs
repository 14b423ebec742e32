using System.Diagnostics;

namespace Platform.EventPatterns.Tests;

/// <summary>Patterns EventBridge refuses, and hostile ones, are refused with the JSON path and the reason; never a crash.</summary>
public sealed class Refused_patterns
{
    [Theory]
    [InlineData("""["aws.ec2"]""", "$", "a JSON object")]
    [InlineData("""{"source": "aws.ec2"}""", "$.source", "must be an object or an array of values, not the string \"aws.ec2\"")]
    [InlineData("""{"detail": {"state": 5}}""", "$.detail.state", "must be an object or an array")]
    [InlineData("""{"source": []}""", "$.source", "empty array")]
    [InlineData("""{}""", "$", "empty object")]
    [InlineData("""{"detail": {}}""", "$.detail", "empty object")]
    [InlineData("""{"source": [["aws.ec2"]]}""", "$.source[0]", "not an array")]
    [InlineData("""{"source": [{"contains": "ec2"}]}""", "$.source[0]", "unknown operator 'contains'")]
    [InlineData("""{"source": [{}]}""", "$.source[0]", "without an operator")]
    [InlineData("""{"source": [{"prefix": "a", "suffix": "b"}]}""", "$.source[0].suffix", "one key only")]
    [InlineData("""{"source": [{"prefix": 5}]}""", "$.source[0].prefix", "takes a string, not the number 5")]
    [InlineData("""{"source": [{"prefix": {"wildcard": "a*"}}]}""", "$.source[0].prefix.wildcard", "only equals-ignore-case")]
    [InlineData("""{"source": [{"equals-ignore-case": ["a"]}]}""", "$.source[0].equals-ignore-case", "takes a string")]
    [InlineData("""{"n": [{"numeric": [">", 5, "<", 1]}]}""", "$.n[0].numeric", "the lower bound 5 is not below the upper bound 1")]
    [InlineData("""{"n": [{"numeric": [">", 5, "<", 5]}]}""", "$.n[0].numeric", "not below")]
    [InlineData("""{"n": [{"numeric": ["<", 5, ">", 1]}]}""", "$.n[0].numeric[0]", "starts with its lower bound")]
    [InlineData("""{"n": [{"numeric": [">", 1, ">", 5]}]}""", "$.n[0].numeric[2]", "ends with its upper bound")]
    [InlineData("""{"n": [{"numeric": ["!=", 5]}]}""", "$.n[0].numeric[0]", "expected a comparison")]
    [InlineData("""{"n": [{"numeric": [">", "5"]}]}""", "$.n[0].numeric[1]", "compares with a number")]
    [InlineData("""{"n": [{"numeric": [">"]}]}""", "$.n[0].numeric", "holds 1 elements")]
    [InlineData("""{"n": [{"numeric": ">5"}]}""", "$.n[0].numeric", "must be an array")]
    [InlineData("""{"n": [{"numeric": [">", 6e9]}]}""", "$.n[0].numeric[1]", "outside the numbers")]
    [InlineData("""{"n": [{"exists": "yes"}]}""", "$.n[0].exists", "true or false")]
    [InlineData("""{"ip": [{"cidr": "10.0.0.0"}]}""", "$.ip[0].cidr", "not a CIDR block")]
    [InlineData("""{"ip": [{"cidr": "10.0.0.0/33"}]}""", "$.ip[0].cidr", "prefix length above 32")]
    [InlineData("""{"ip": [{"cidr": "10.0/8"}]}""", "$.ip[0].cidr", "not a CIDR block")]
    [InlineData("""{"ip": [{"cidr": "2001:db8::/129"}]}""", "$.ip[0].cidr", "above 128")]
    [InlineData("""{"s": [{"wildcard": "a**b"}]}""", "$.s[0].wildcard", "consecutive wildcard characters")]
    [InlineData("""{"s": [{"wildcard": "a\\b"}]}""", "$.s[0].wildcard", "escapes neither")]
    [InlineData("""{"s": [{"wildcard": "a\\"}]}""", "$.s[0].wildcard", "escapes neither")]
    [InlineData("""{"s": [{"anything-but": ["a", 1]}]}""", "$.s[0].anything-but", "strings only or numbers only")]
    [InlineData("""{"s": [{"anything-but": []}]}""", "$.s[0].anything-but", "at least one")]
    [InlineData("""{"s": [{"anything-but": [null]}]}""", "$.s[0].anything-but", "strings only or numbers only")]
    [InlineData("""{"s": [{"anything-but": true}]}""", "$.s[0].anything-but", "must be a string, a number")]
    [InlineData("""{"s": [{"anything-but": {"numeric": [">", 1]}}]}""", "$.s[0].anything-but.numeric", "does not take 'numeric'")]
    [InlineData("""{"s": [{"anything-but": {"prefix": ""}}]}""", "$.s[0].anything-but.prefix", "cannot be empty")]
    [InlineData("""{"$or": [{"a": ["1"]}]}""", "$.$or", "needs at least 2")]
    [InlineData("""{"$or": {"a": ["1"]}}""", "$.$or", "array of two or more objects")]
    [InlineData("""{"$or": [{"a": ["1"]}, "b"]}""", "$.$or[1]", "must be an object")]
    [InlineData("""{"$or": [{"numeric": [1]}, {"prefix": ["a"]}]}""", "$.$or[0].numeric", "is an operator, not a field")]
    [InlineData("""{"detail type": [1e400]}""", "$[\"detail type\"][0]", "not a number EventBridge can hold")]
    [InlineData("""{"source": ["aws.ec2"]""", "$", "not valid JSON")]
    [InlineData("", "$", "empty")]
    public void A_pattern_eventbridge_refuses_is_refused_with_where_and_why(string pattern, string path, string reason)
    {
        Assert.Null(EventPattern.TryParse(pattern, out var error));

        Assert.Equal(path, error!.Path);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_and_the_limit_itself_is_allowed()
    {
        string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth - 1)) + "{\"a\":[1]}" + new string('}', depth - 1);

        Assert.NotNull(EventPattern.TryParse(Nested(EventPattern.MaxDepth), out _));
        Assert.Null(EventPattern.TryParse(Nested(EventPattern.MaxDepth + 1), out var error));
        Assert.Contains("nested more than 32 levels deep", error!.Reason);
    }

    [Fact]
    public void Hostile_nesting_is_refused_quickly()
    {
        var hostile = new string('[', 100_000) + new string(']', 100_000);

        var watch = Stopwatch.StartNew();
        Assert.Null(EventPattern.TryParse("{\"a\":" + hostile[..2000] + hostile[^2000..] + "}", out var error));
        Assert.Contains("nested more than", error!.Reason);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }

    [Fact]
    public void A_pattern_larger_than_eventbridge_allows_is_refused()
    {
        var huge = """{"source": [""" + string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"s{i}\"")) + "]}";

        Assert.Null(EventPattern.TryParse(huge, out var error));
        Assert.Equal("$", error!.Path);
        Assert.Contains($"at most {EventPattern.MaxLength}", error.Reason);
    }

    [Fact]
    public void A_wildcard_runs_in_linear_time_on_a_hostile_value()
    {
        var pattern = Conformance.Parse("""{"s": [{"wildcard": "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"}]}""");
        var @event = Conformance.Json($$"""{"s": "{{new string('a', 200_000)}}"}""");

        var watch = Stopwatch.StartNew();
        Assert.False(pattern.Matches(@event));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }

    [Fact]
    public void An_event_nested_deeper_than_the_limit_does_not_match()
    {
        var pattern = Conformance.Parse("""{"a": [{"exists": true}]}""");
        var deep = string.Concat(Enumerable.Repeat("[", 60)) + "1" + new string(']', 60);

        Assert.False(pattern.Matches(Conformance.Json($$"""{"a": {{deep}}}""")));
        Assert.True(pattern.Matches(Conformance.Json("""{"a": [[1]]}""")));
    }
}
