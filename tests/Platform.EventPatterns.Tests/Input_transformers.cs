namespace Platform.EventPatterns.Tests;

/// <summary>A target's InputPath and InputTransformer pick and reshape the event as EventBridge does.</summary>
public sealed class Input_transformers
{
    private static readonly JsonElement Event = Conformance.Json("""
        {"id": "e1", "source": "aws.ec2", "account": "123456789012", "region": "us-east-1", "time": "2024-01-01T00:00:00Z",
         "detail": {"instance-id": "i-0123456789", "state": "running", "count": 3}}
        """);

    [Fact]
    public void Values_go_in_as_json_outside_strings_and_as_text_inside_them()
    {
        var transformer = Create(
            new() { ["instance"] = "$.detail.instance-id", ["state"] = "$.detail.state", ["count"] = "$.detail.count" },
            """{"instance": <instance>, "state": [9, <state>, true], "line": "<instance> is <state> (<count>)", "n": <count>}""");

        var output = transformer.Apply(Event, "my-rule");

        Assert.Equal(
            """{"instance":"i-0123456789","state":[9,"running",true],"line":"i-0123456789 is running (3)","n":3}""",
            output.ToJsonString());
    }

    [Fact]
    public void A_string_template_gives_a_string_and_reserved_names_give_the_rule_and_event()
    {
        var transformer = Create(new() { ["state"] = "$.detail.state" }, "\"<aws.events.rule-name>: <state>\"");
        var whole = Create([], """{"event": <aws.events.event.json>, "missing": <nothing>}""".Replace("<nothing>", "null"));

        Assert.Equal("my-rule: running", transformer.Apply(Event, "my-rule").GetValue<string>());
        Assert.Equal("e1", whole.Apply(Event, "r")["event"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public void A_path_the_event_lacks_is_null()
    {
        var transformer = Create(new() { ["x"] = "$.detail.nope" }, """{"x": <x>, "t": "[<x>]"}""");

        Assert.Equal("""{"x":null,"t":"[]"}""", transformer.Apply(Event, "r").ToJsonString());
    }

    [Theory]
    [InlineData("bad name", "$.a", "{}", "InputPathsMap.bad name", "a name is")]
    [InlineData("a", "detail", "{}", "InputPathsMap.a", "starting with '$'")]
    [InlineData("a", "$.a[x]", "{}", "InputPathsMap.a", "neither an index")]
    [InlineData("a", "$.a", "{\"a\": <a>", "InputTemplate", "not valid JSON")]
    [InlineData("a", "$.a", "not json <a>", "InputTemplate", "not valid JSON")]
    [InlineData("a", "$.a", "", "InputTemplate", "is required")]
    public void A_transformer_eventbridge_refuses_names_the_field(string name, string path, string template, string field, string reason)
    {
        Assert.Null(InputTransformer.TryCreate(new Dictionary<string, string> { [name] = path }, template, out var errors));

        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(reason, error.Reason);
    }

    [Theory]
    [InlineData("$", "aws.ec2")]
    [InlineData("$.detail.state", "running")]
    [InlineData("$['detail']['instance-id']", "i-0123456789")]
    public void An_input_path_picks_part_of_the_event(string path, string expected)
    {
        var parsed = EventPath.TryParse(path, out var reason);

        Assert.Null(reason);
        var value = parsed!.Select(Event)!.Value;
        Assert.Equal(expected, value.ValueKind == JsonValueKind.Object ? value.GetProperty("source").GetString() : value.GetString());
    }

    private static InputTransformer Create(Dictionary<string, string> paths, string template) =>
        InputTransformer.TryCreate(paths, template, out var errors) ?? throw new InvalidOperationException(string.Join("; ", errors));
}
