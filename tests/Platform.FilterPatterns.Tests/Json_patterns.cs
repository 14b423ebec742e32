namespace Platform.FilterPatterns.Tests;

/// <summary>AWS's documented JSON examples and the seed's pattern, each with a matching and a non-matching message.</summary>
public sealed class Json_patterns
{
    private const string Event = """
        {"eventType":"UpdateTrail","sourceIPAddress":"123.123.123.123","arrayKey":["value","another value"],
         "objectList":[{"name":"a","id":1},{"name":"b","id":2}],"SomeObject":null,"cluster":true,"latency":50,
         "user":{"id":"1","name":"alice"}}
        """;

    [Theory]
    [InlineData("{ $.eventType = \"UpdateTrail\" }", """{"eventType":"DeleteTrail"}""")]
    [InlineData("{ $.eventType = UpdateTrail }", """{"eventType":"DeleteTrail"}""")]
    [InlineData("{ $.eventType = \"Update*\" }", """{"eventType":"DeleteTrail"}""")]
    [InlineData("{ $.eventType != \"DeleteTrail\" }", """{"eventType":"DeleteTrail"}""")]
    [InlineData("{ $.sourceIPAddress = 123.123.* }", """{"sourceIPAddress":"123.124.0.1"}""")]
    [InlineData("{ $.arrayKey[0] = \"value\" }", """{"arrayKey":["other"]}""")]
    [InlineData("{ $.objectList[1].id = 2 }", """{"objectList":[{"id":1},{"id":3}]}""")]
    [InlineData("{ $.SomeObject IS NULL }", """{"SomeObject":{}}""")]
    [InlineData("{ $.SomeOtherObject NOT EXISTS }", """{"SomeOtherObject":1}""")]
    [InlineData("{ $.cluster IS TRUE }", """{"cluster":false}""")]
    [InlineData("{ $.cluster IS FALSE || $.latency >= 50 }", """{"cluster":true,"latency":49}""")]
    [InlineData("{ $.latency = 50 }", """{"latency":51}""")]
    [InlineData("{ $.latency > 49.5 && $.latency <= 50 }", """{"latency":50.5}""")]
    [InlineData("{ $.latency < 51 }", """{"latency":"slow"}""")]
    [InlineData("{ $.user.id = 1 && $.user.name = \"alice\" }", """{"user":{"id":"1","name":"bob"}}""")]
    [InlineData("{ ($.user.id = 2 && $.latency = 50) || ($.eventType = %Update% && $.cluster IS TRUE) }", """{"eventType":"UpdateTrail"}""")]
    [InlineData("{ (($.latency = 50)) }", "not JSON at all")]
    [InlineData("{ $.sourceIPAddress = %^123\\.123\\.% }", """{"sourceIPAddress":"1.123.123.1"}""")]
    public void A_documented_json_pattern_matches_its_example(string pattern, string other) =>
        Patterns.Separates(pattern, Event, other);

    [Fact]
    public void The_seeds_failed_login_pattern_matches_failed_logins_only() =>
        Patterns.Separates(
            """{ $.status = "FAILED" && $.eventType = "LOGIN" }""",
            """{"eventType":"LOGIN","status":"FAILED","sourceIP":"203.0.113.9","user":"bob"}""",
            """{"eventType":"LOGIN","status":"SUCCEEDED","sourceIP":"203.0.113.9","user":"bob"}""");

    [Fact]
    public void And_binds_tighter_than_or() =>
        Patterns.Separates("{ $.a = 1 || $.b = 1 && $.c = 1 }", """{"a":1,"b":0}""", """{"a":0,"b":1,"c":0}""");

    [Fact]
    public void A_match_extracts_the_fields_the_pattern_uses()
    {
        var match = Patterns.Parse("""{ $.eventType = "Update*" && $.objectList[1].id = 2 && $.missing NOT EXISTS }""").Match(Event);

        Assert.True(match.IsMatch);
        Assert.Equal(
            new Dictionary<string, string> { ["$.eventType"] = "UpdateTrail", ["$.objectList[1].id"] = "2" },
            match.ExtractedValues);
    }

    [Fact]
    public void A_json_array_message_does_not_match() => Assert.False(Patterns.Parse("{ $[0] = 1 }").Match("[1]").IsMatch);
}
