namespace Platform.Alerting.Tests;

/// <summary><c>POST /v1/event-rules/test</c> answers like AWS's TestEventPattern, through the real service.</summary>
[Collection(AlertingCollection.Name)]
public sealed class Testing_event_patterns(AlertingHost alerting)
{
    private const string Path = "/v1/event-rules/test";

    private const string IamChanges = """
        {"source": ["aws.iam"], "detail-type": ["AWS API Call via CloudTrail"],
         "detail": {"eventSource": ["iam.amazonaws.com"], "eventName": ["CreateUser", "DeleteUser", "CreateAccessKey"]}}
        """;

    private static string Event(string eventName) => $$$"""
        {"version": "0", "id": "6f87d04b-9f74-4f04-a780-7acf4b0a9b38", "detail-type": "AWS API Call via CloudTrail",
         "source": "aws.iam", "account": "123456789012", "time": "2024-05-01T12:00:00Z", "region": "us-east-1", "resources": [],
         "detail": {"eventSource": "iam.amazonaws.com", "eventName": "{{{eventName}}}"}}
        """;

    [Theory]
    [InlineData("CreateAccessKey", true)]
    [InlineData("ListUsers", false)]
    public async Task The_seeds_iam_pattern_given_as_json_strings_answers_whether_the_event_matches(string eventName, bool expected)
    {
        using var client = alerting.ClientFor(PlatformRoles.Analyst);

        using var response = await client.PostAsJsonAsync(Path, new { eventPattern = IamChanges, @event = Event(eventName) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("result").GetBoolean());
    }

    [Fact]
    public async Task The_pattern_and_event_may_be_the_objects_themselves()
    {
        using var client = alerting.Host.CreateAdminClient();
        var body = """{"eventPattern": {"detail": {"eventName": [{"prefix": "Create"}]}}, "event": """ + Event("CreateUser") + "}";

        using var response = await client.PostAsync(Path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("result").GetBoolean());
    }

    [Fact]
    public async Task A_pattern_eventbridge_refuses_answers_400_naming_event_pattern_with_the_path_and_reason()
    {
        var reason = await alerting.RefusalReasonAsync(Path, new { eventPattern = """{"source": [{"wildcard": "aws.**"}]}""", @event = Event("x") }, "eventPattern");

        Assert.StartsWith("at $.source[0].wildcard:", reason);
        Assert.Contains("consecutive wildcard characters", reason);
    }

    [Fact]
    public async Task An_event_without_eventbridges_envelope_answers_400_naming_the_missing_fields()
    {
        var reason = await alerting.RefusalReasonAsync(Path, new { eventPattern = IamChanges, @event = """{"source": "aws.iam", "detail": {}}""" }, "event");

        Assert.Equal("lacks EventBridge's envelope fields id, account, time, region, detail-type", reason);
    }

    [Fact]
    public async Task An_event_that_is_not_json_and_a_missing_pattern_are_both_named()
    {
        using var response = await alerting.PostAsAdminAsync(Path, new { @event = "{not json" });

        var fields = await response.ProblemFieldsAsync();
        Assert.Equal("is required", Assert.Single(fields["eventPattern"]));
        Assert.StartsWith("is not valid JSON", Assert.Single(fields["event"]));
    }

    [Fact]
    public async Task Hostile_nesting_in_the_pattern_answers_400_not_a_crash()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "[1]" + new string('}', 40);

        var reason = await alerting.RefusalReasonAsync(Path, new { eventPattern = deep, @event = Event("x") }, "eventPattern");

        Assert.Contains("nested more than 32 levels deep", reason);
    }

    [Fact]
    public async Task No_key_is_401_and_an_ingest_key_is_403()
    {
        await alerting.AssertNoKeyIs401AndAnIngestKeyIs403Async(Path, new { eventPattern = IamChanges, @event = Event("CreateUser") });
    }
}
