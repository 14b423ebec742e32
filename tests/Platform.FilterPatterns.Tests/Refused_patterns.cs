using System.Diagnostics;

namespace Platform.FilterPatterns.Tests;

/// <summary>Patterns CloudWatch Logs would refuse, and hostile ones, are refused with the position and the reason; never a crash.</summary>
public sealed class Refused_patterns
{
    [Theory]
    [InlineData("{ $.a = 1", 10, "expected '&&', '||' or the closing '}'")]
    [InlineData("{ $.a = }", 9, "expected a value after '='")]
    [InlineData("{ $.a > \"x\" }", 9, "'>' compares numbers")]
    [InlineData("{ $.a < %x% }", 9, "'<' compares numbers")]
    [InlineData("{ a = 1 }", 3, "expected a condition on a field")]
    [InlineData("{ $ = 1 }", 3, "expected a field after '$'")]
    [InlineData("{ $.a[x] = 1 }", 7, "expected an array index")]
    [InlineData("{ $.a IS MAYBE }", 10, "expected NULL, TRUE or FALSE")]
    [InlineData("{ $.a NOT THERE }", 11, "expected EXISTS")]
    [InlineData("{ $.a ~ 1 }", 7, "expected a comparison")]
    [InlineData("{ ($.a = 1 }", 12, "expected '&&', '||' or ')'")]
    [InlineData("{ $.a = 1 } extra", 13, "unexpected 'e'")]
    [InlineData("{ $.a = \"open }", 9, "not closed")]
    [InlineData("[ip, user", 10, "expected ',', a condition or the closing ']'")]
    [InlineData("[ip, , user]", 6, "expected a field name")]
    [InlineData("[ip, ip]", 6, "named twice")]
    [InlineData("[..., x, ...]", 10, "at most one '...'")]
    [InlineData("[a = 1 || b = 2]", 11, "'b', which is not a field")]
    [InlineData("[a > big]", 6, "'big' is not a number")]
    [InlineData("ERROR \"open", 7, "not closed")]
    [InlineData("ERROR ?", 7, "must be followed by the term")]
    [InlineData("ab\"c", 3, "quote a term")]
    [InlineData("%abc", 1, "not closed with '%'")]
    [InlineData("%%", 2, "empty")]
    [InlineData("%(a+)+b%", 2, "groups")]
    [InlineData("%a b%", 3, "' ' is not allowed")]
    [InlineData("%caf\u00e9%", 5, "is not allowed")]
    [InlineData("{ $.a = %a% && $.b = %b% && $.c = %c% }", 35, "at most 2 regular expressions")]
    [InlineData("%a{2}{3}%", 1, "cannot be run in linear time")]
    public void A_pattern_aws_refuses_is_refused_with_where_and_why(string pattern, int position, string reason)
    {
        var error = Patterns.Refuse(pattern);

        Assert.Contains(reason, error.Reason);
        Assert.Equal(position, error.Position);
    }

    [Fact]
    public void Parentheses_deeper_than_the_limit_are_refused()
    {
        var allowed = "{ " + new string('(', FilterPattern.MaxDepth - 1) + "$.a = 1" + new string(')', FilterPattern.MaxDepth - 1) + " }";

        var error = Patterns.Refuse("{ " + new string('(', 300) + "$.a = 1" + new string(')', 300) + " }");

        Assert.Contains("nested more than 64", error.Reason);
        Assert.Equal(2 + FilterPattern.MaxDepth + 1, error.Position);
        Assert.True(Patterns.Parse(allowed).Match("""{"a":1}""").IsMatch);
    }

    [Fact]
    public void A_pattern_longer_than_the_limit_is_refused()
    {
        var error = Patterns.Refuse(new string('a', FilterPattern.MaxLength + 1));

        Assert.Equal(FilterPattern.MaxLength + 1, error.Position);
        Assert.Contains("at most 1024", error.Reason);
    }

    [Fact]
    public void A_catastrophic_regex_runs_in_linear_time_on_a_hostile_message()
    {
        var pattern = Patterns.Parse("%^a*a*a*a*a*a*a*a*a*a*a*a*b$%");
        var message = new string('a', 200_000);

        var watch = Stopwatch.StartNew();
        Assert.False(pattern.Match(message).IsMatch);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void A_json_message_nested_deeper_than_the_limit_does_not_match() =>
        Assert.False(Patterns.Parse("{ $.a = 1 }").Match(new string('[', 5_000) + new string(']', 5_000)).IsMatch);

    [Theory]
    [InlineData("{")]
    [InlineData("[")]
    [InlineData("{ $.a = 1 &&")]
    [InlineData("{ $.a[99999999999] = 1 }")]
    [InlineData("[a = \"x]")]
    [InlineData("-")]
    [InlineData("%\\%")]
    [InlineData("%\\1%")]
    [InlineData("%a{99999999999}%")]
    public void Truncated_and_malformed_patterns_are_errors_not_crashes(string pattern) => Assert.NotEmpty(Patterns.Refuse(pattern).Reason);
}
