namespace Platform.FilterPatterns.Tests;

/// <summary>A metric filter's value: a constant per match, or a numeric field of the matched message.</summary>
public sealed class Metric_values
{
    [Theory]
    [InlineData("{ $.latency > 0 }", "1", """{"latency":42}""", 1.0)]
    [InlineData("{ $.latency > 0 }", "2.5", """{"latency":42}""", 2.5)]
    [InlineData("{ $.latency > 0 }", "$.latency", """{"latency":42}""", 42.0)]
    [InlineData("{ $.eventType = \"x\" }", "$.metrics[0].ms", """{"eventType":"x","metrics":[{"ms":7}]}""", 7.0)]
    [InlineData("[ip, status, bytes]", "$bytes", "10.0.0.1 200 1500", 1500.0)]
    public void A_metric_value_evaluates_on_a_matching_message(string pattern, string value, string message, double expected)
    {
        var parsed = Patterns.Parse(pattern);
        var metric = MetricValue.TryParse(value, parsed, out var error);
        Assert.Null(error);

        var (match, result) = metric!.Evaluate(parsed, message);

        Assert.True(match.IsMatch);
        Assert.Equal(expected, result);
    }

    [Fact]
    public void A_field_that_is_not_a_number_gives_no_value()
    {
        var parsed = Patterns.Parse("[ip, status, bytes]");

        var (match, result) = MetricValue.TryParse("$bytes", parsed, out _)!.Evaluate(parsed, "10.0.0.1 200 -");

        Assert.True(match.IsMatch);
        Assert.Null(result);
    }

    [Theory]
    [InlineData("[ip, status]", "$bytes", "not a field")]
    [InlineData("ERROR", "$.latency", "takes a JSON pattern")]
    [InlineData("ERROR", "many", "expected a number")]
    [InlineData("{ $.a = 1 }", "$.a b", "unexpected ' '")]
    public void A_metric_value_the_pattern_cannot_give_is_refused(string pattern, string value, string reason)
    {
        Assert.Null(MetricValue.TryParse(value, Patterns.Parse(pattern), out var error));
        Assert.Contains(reason, error!.Reason);
    }
}
