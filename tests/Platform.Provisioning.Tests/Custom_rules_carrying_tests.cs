namespace Platform.Provisioning.Tests;

/// <summary>A custom detection rule's own test cases run at the door: a rule that fails one is refused, naming the case.</summary>
[Collection(ProvisioningCollection.Name)]
public sealed class Custom_rules_carrying_tests(ProvisioningService service)
{
    private static string Rule(string deniedExpectation) => $$"""
        title: Trail Stopped
        id: 0b6f4c1e-2d7a-4e95-8c3b-9a1f5e7d2c40
        logsource:
            product: aws
            service: cloudtrail
        detection:
            selection:
                eventSource: cloudtrail.amazonaws.com
                eventName: StopLogging
            condition: selection
        level: high
        tests:
            - name: trail stopped
              event: {"eventSource": "cloudtrail.amazonaws.com", "eventName": "StopLogging"}
              expect: match
            - name: stopping was denied
              event: {"eventSource": "cloudtrail.amazonaws.com", "eventName": "StopLogging", "errorCode": "AccessDenied"}
              expect: {{deniedExpectation}}
        """;

    [Fact]
    public async Task A_rule_failing_its_own_test_case_is_refused_with_400_naming_the_case()
    {
        var response = await service.PutAsync("detection-rules", Unique("tested"), Yaml(Rule("no-match")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var reason = Assert.Single((await response.ProblemFieldsAsync())["yaml"]);
        Assert.Contains("'stopping was denied'", reason, StringComparison.Ordinal);
        Assert.Contains("expects no-match, got 1 finding", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_passing_its_test_cases_is_accepted()
    {
        var response = await service.PutAsync("detection-rules", Unique("tested"), Yaml(Rule("match")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_malformed_test_case_is_refused_with_its_line()
    {
        var yaml = Rule("match").Replace("expect: match\n    - name: stopping", "expect: maybe\n    - name: stopping", StringComparison.Ordinal);

        var response = await service.PutAsync("detection-rules", Unique("tested"), Yaml(yaml));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains((await response.ProblemFieldsAsync())["yaml"], r => r.Contains("'expect' must be", StringComparison.Ordinal) && r.Contains("line ", StringComparison.Ordinal));
    }
}
