using Microsoft.AspNetCore.Mvc;

namespace Platform.Detection.Tests;

/// <summary>POST /v1/rules/test runs a rule (given as YAML or by id) on given events and says which match and why.</summary>
[Collection(DetectionCollection.Name)]
public sealed class Testing_rules_through_the_API(DetectionHost detection)
{
    private const string ExportRule = """
        title: Snapshot Export Started
        id: 5d0c2f7e-8a41-4b39-9e52-6f1a3c7b8d20
        logsource:
            product: aws
            service: cloudtrail
        detection:
            export:
                eventSource: ec2.amazonaws.com
                eventName: CreateStoreImageTask
            to_bucket:
                requestParameters.bucket|exists: true
            failed:
                errorCode|exists: true
            condition: export and to_bucket and not failed
        level: medium
        tests:
            - name: an export
              event: {"eventSource": "ec2.amazonaws.com", "eventName": "CreateStoreImageTask", "requestParameters": {"imageId": "ami-1", "bucket": "b"}}
              expect: match
        """;

    private static JsonObject Event(string name, string? errorCode = null)
    {
        var record = new JsonObject
        {
            ["eventSource"] = "ec2.amazonaws.com",
            ["eventName"] = name,
            ["requestParameters"] = new JsonObject { ["imageId"] = "ami-0abcdef1234567890", ["bucket"] = "exfil" },
        };
        if (errorCode is not null)
        {
            record["errorCode"] = errorCode;
        }

        return record;
    }

    [Fact]
    public async Task A_rule_given_as_YAML_says_which_events_matched_and_the_selections_that_held()
    {
        using var client = detection.Host.CreateClient(DetectionHost.AnalystKey);

        var response = await client.PostAsJsonAsync("/v1/rules/test", new
        {
            rule = ExportRule,
            events = new[] { Event("CreateStoreImageTask"), Event("CreateStoreImageTask", "AccessDenied"), Event("DescribeImages") },
        }, PlatformJson.Options);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<RuleTestResponse>(PlatformJson.Options))!;
        Assert.Equal("5d0c2f7e-8a41-4b39-9e52-6f1a3c7b8d20", result.RuleId);
        Assert.Equal(1, result.Findings);
        Assert.Equal([true, false, false], result.Events.Select(e => e.Matched));
        Assert.Equal(["export", "to_bucket"], Assert.Single(result.Events[0].Rules, r => r.Matched).Selections);
        Assert.Equal(["export", "to_bucket", "failed"], Assert.Single(result.Events[1].Rules, r => !r.Matched).Selections);
        Assert.Equal(["to_bucket"], Assert.Single(result.Events[2].Rules, r => !r.Matched).Selections);
        var test = Assert.Single(result.Tests);
        Assert.True(test.Passed);
    }

    [Fact]
    public async Task A_loaded_rule_is_run_by_its_id_with_the_overrides_applied()
    {
        using var client = detection.Host.CreateClient(DetectionHost.AnalystKey);
        const string snapshotExfiltration = "abae8fec-57bd-4f87-aff6-6e3db989843d";
        JsonObject Snapshot(string change) => new()
        {
            ["eventSource"] = "ec2.amazonaws.com",
            ["eventName"] = "ModifySnapshotAttribute",
            ["requestParameters"] = new JsonObject
            {
                ["snapshotId"] = "snap-1",
                ["createVolumePermission"] = new JsonObject { [change] = JsonNode.Parse("""{"items":[{"userId":"444455556666"}]}""") },
            },
        };

        var response = await client.PostAsJsonAsync(
            "/v1/rules/test", new { rule = snapshotExfiltration, events = new[] { Snapshot("add"), Snapshot("remove") } }, PlatformJson.Options);

        var result = (await response.Content.ReadFromJsonAsync<RuleTestResponse>(PlatformJson.Options))!;
        Assert.Equal([true, false], result.Events.Select(e => e.Matched));
        Assert.Contains("9e4b1c72-3f58-4a06-8d1e-b5a7c2f0e963/added_account", Assert.Single(result.Events[0].Rules).Selections);
    }

    [Theory]
    [InlineData("title: Broken\nlogsource:\n    product: aws\ndetection:\n    selection:\n        eventName|nosuchmodifier: x\n    condition: selection\n", "nosuchmodifier")]
    [InlineData("no-such-rule-id", "neither the id of a loaded rule nor a Sigma rule")]
    [InlineData("", "is required")]
    public async Task A_bad_rule_is_a_400_naming_the_rule_field(string rule, string reason)
    {
        using var client = detection.Host.CreateClient(DetectionHost.AnalystKey);

        var response = await client.PostAsJsonAsync("/v1/rules/test", new { rule, events = new[] { Event("CreateStoreImageTask") } }, PlatformJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(PlatformJson.Options))!;
        Assert.Contains(problem.Errors["rule"], e => e.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Events_that_are_not_objects_are_a_400_naming_the_event()
    {
        using var client = detection.Host.CreateClient(DetectionHost.AnalystKey);

        var response = await client.PostAsJsonAsync("/v1/rules/test", new { rule = ExportRule, events = new object[] { Event("X"), "text" } }, PlatformJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(PlatformJson.Options))!;
        Assert.True(problem.Errors.ContainsKey("events[1]"));
    }

    [Fact]
    public async Task An_ingest_key_may_not_test_rules()
    {
        using var client = detection.Host.CreateClient(DetectionHost.IngestKey);

        var response = await client.PostAsJsonAsync("/v1/rules/test", new { rule = ExportRule, events = new[] { Event("X") } }, PlatformJson.Options);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
