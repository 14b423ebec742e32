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

        var sample = new MetricExtraction(parsed, metric!, []).Evaluate(message);

        Assert.True(sample.IsMatch);
        Assert.Equal(expected, sample.Value);
    }

    [Fact]
    public void A_field_that_is_not_a_number_gives_no_value()
    {
        var parsed = Patterns.Parse("[ip, status, bytes]");

        var sample = new MetricExtraction(parsed, MetricValue.TryParse("$bytes", parsed, out _)!, []).Evaluate("10.0.0.1 200 -");

        Assert.True(sample.IsMatch);
        Assert.Null(sample.Value);
    }

    [Theory]
    [InlineData("{ $.status = \"FAILED\" }", "$.sourceIP", """{"status":"FAILED","sourceIP":"203.0.113.9"}""", "203.0.113.9")]
    [InlineData("{ $.status = \"FAILED\" }", "$.who.ip", """{"status":"FAILED","who":{"ip":"198.51.100.7"}}""", "198.51.100.7")]
    [InlineData("[ip, status = 4*, bytes]", "$ip", "10.0.0.1 404 1500", "10.0.0.1")]
    public void A_dimension_takes_its_value_from_the_matched_message(string pattern, string field, string message, string expected)
    {
        var parsed = Patterns.Parse(pattern);
        var dimension = MessageField.TryParse(field, parsed, out var error);
        Assert.Null(error);

        var sample = new MetricExtraction(parsed, MetricValue.TryParse("1", parsed, out _)!, [new("Source", dimension!)]).Evaluate(message);

        Assert.Equal(1.0, sample.Value);
        Assert.Equal(expected, sample.Dimensions["Source"]);
    }

    [Fact]
    public void A_match_without_the_dimensions_field_publishes_nothing()
    {
        var parsed = Patterns.Parse("{ $.status = \"FAILED\" }");
        var dimension = MessageField.TryParse("$.sourceIP", parsed, out _)!;

        var sample = new MetricExtraction(parsed, MetricValue.TryParse("1", parsed, out _)!, [new("SourceIP", dimension)])
            .Evaluate("""{"status":"FAILED"}""");

        Assert.True(sample.IsMatch);
        Assert.Null(sample.Value);
    }

    [Theory]
    [InlineData("[ip, status]", "$user", "not a field")]
    [InlineData("ERROR", "$.ip", "takes a JSON pattern")]
    [InlineData("{ $.a = 1 }", "sourceIP", "expected $.field")]
    public void A_dimension_the_pattern_cannot_give_is_refused(string pattern, string field, string reason)
    {
        Assert.Null(MessageField.TryParse(field, Patterns.Parse(pattern), out var error));
        Assert.Contains(reason, error!.Reason);
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
