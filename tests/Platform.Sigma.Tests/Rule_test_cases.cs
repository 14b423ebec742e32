using Platform.Sigma.Testing;

namespace Platform.Sigma.Tests;

/// <summary>A rule's <c>tests:</c> are parsed within bounds and run with the engine's own evaluation.</summary>
public class Rule_test_cases
{
    private const string Rule = """
        title: Key Deleted
        id: 7d1e3f5a-9b2c-4d6e-8f0a-1b3c5d7e9f20
        logsource:
            product: aws
            service: cloudtrail
        detection:
            selection:
                eventSource: kms.amazonaws.com
                eventName: ScheduleKeyDeletion
            failed:
                errorCode|exists: true
            condition: selection and not failed
        tests:
            - name: as JSON
              event: {"eventSource": "kms.amazonaws.com", "eventName": "ScheduleKeyDeletion", "requestParameters": {"pendingWindowInDays": 7}}
              expect: match
            - name: as YAML
              event:
                  eventSource: kms.amazonaws.com
                  eventName: ScheduleKeyDeletion
                  errorCode: AccessDenied
              expect: no-match
            - name: pasted as a JSON string
              event: |
                  {"eventSource": "kms.amazonaws.com", "eventName": "ScheduleKeyDeletion"}
              expect: 1
        """;

    [Fact]
    public async Task Cases_as_JSON_YAML_or_a_pasted_record_run_against_the_rule()
    {
        var file = SigmaRuleLoader.Load(Rule, "rule.yml");
        Assert.Empty(file.Errors);
        var rule = Assert.Single(file.TestedRules);
        Assert.Equal(["as JSON", "as YAML", "pasted as a JSON string"], rule.Tests.Select(t => t.Name));
        Assert.Equal(JsonValueKind.Number, rule.Tests[0].Events[0].GetProperty("requestParameters").GetProperty("pendingWindowInDays").ValueKind);

        var results = await SigmaRuleTestRunner.RunFileTestsAsync([file]);

        Assert.All(results, r => Assert.True(r.Passed, r.Describe()));
        Assert.Equal(["selection", "failed"], (await SigmaRuleTestRunner.EvaluateAsync(SigmaRuleLoader.CreateRuleSet([file]), rule.Key, rule.Tests[1].Events)).Events[0].Rules[0].Selections);
    }

    [Fact]
    public async Task A_failing_case_says_what_it_expected_and_what_it_got()
    {
        var file = SigmaRuleLoader.Load(Rule.Replace("expect: no-match", "expect: match", StringComparison.Ordinal), "rule.yml");

        var failed = Assert.Single(await SigmaRuleTestRunner.RunFileTestsAsync([file]), r => !r.Passed);

        Assert.Equal("as YAML", failed.Case.Name);
        Assert.Contains("expects match, got 0 findings", failed.Describe(), StringComparison.Ordinal);
    }

    private const string JsonEvent = """event: {"eventSource": "kms.amazonaws.com", "eventName": "ScheduleKeyDeletion", "requestParameters": {"pendingWindowInDays": 7}}""";

    [Theory]
    [InlineData("expect: no-match", "expect: maybe", "'expect' must be")]
    [InlineData("expect: no-match", "expect: -1", "'expect' must be")]
    [InlineData(JsonEvent, "event: [1, 2]", "an event must be a mapping")]
    [InlineData(JsonEvent, "event: '{not json'", "not valid JSON")]
    [InlineData("- name: as YAML", "- name: as JSON", "another test case is named 'as JSON'")]
    public void A_malformed_case_is_a_load_error_with_its_line(string original, string replacement, string reason)
    {
        var file = SigmaRuleLoader.Load(Rule.Replace(original, replacement, StringComparison.Ordinal), "rule.yml");

        var error = Assert.Single(file.Errors);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.True(error.Line > 12, $"line {error.Line}");
    }

    [Fact]
    public void An_event_nested_deeper_than_the_yaml_bound_is_refused()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\": ", 80)) + "1" + new string('}', 80);

        var file = SigmaRuleLoader.Load(Rule.Replace(JsonEvent, "event: " + deep, StringComparison.Ordinal), "rule.yml");

        Assert.Contains(file.Errors, e => e.Reason.Contains("deeper than", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_correlation_counts_findings_per_group()
    {
        const string yaml = """
            title: Many Deletions
            id: 2c4e6a8b-0d1f-4a3c-9e5b-7d9f1b3d5e70
            correlation:
                type: event_count
                rules: [deletion]
                group-by: [userIdentity.arn]
                timespan: 5m
                condition:
                    gte: 2
            tests:
                - name: two principals each delete twice
                  events:
                      - {"eventName": "DeleteObject", "userIdentity": {"arn": "a"}}
                      - {"eventName": "DeleteObject", "userIdentity": {"arn": "b"}}
                      - {"eventName": "DeleteObject", "userIdentity": {"arn": "a"}}
                      - {"eventName": "DeleteObject", "userIdentity": {"arn": "b"}}
                  expect: 2
                - name: deletions too far apart
                  events:
                      - {"eventName": "DeleteObject", "userIdentity": {"arn": "a"}, "eventTime": "2026-03-01T10:00:00Z"}
                      - {"eventName": "DeleteObject", "userIdentity": {"arn": "a"}, "eventTime": "2026-03-01T10:05:00Z"}
                  expect: no-match
            ---
            title: Deletion
            name: deletion
            logsource:
                product: aws
                service: cloudtrail
            detection:
                selection:
                    eventName: DeleteObject
                condition: selection
            """;
        var file = SigmaRuleLoader.Load(yaml, "correlation.yml");

        var results = await SigmaRuleTestRunner.RunFileTestsAsync([file]);

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.True(r.Passed, r.Describe()));
        Assert.Equal(2, results[0].Evaluation.Findings);
    }

    [Fact]
    public void A_sibling_tests_file_belongs_to_the_rule_beside_it_and_is_not_loaded_as_a_rule()
    {
        var directory = Directory.CreateTempSubdirectory();
        try
        {
            var withoutTests = Rule[..Rule.IndexOf("tests:", StringComparison.Ordinal)];
            File.WriteAllText(Path.Combine(directory.FullName, "key_deleted.yml"), withoutTests);
            File.WriteAllText(Path.Combine(directory.FullName, "key_deleted.tests.yml"), "tests:\n" + Rule[(Rule.IndexOf("tests:", StringComparison.Ordinal) + 7)..]);

            var file = Assert.Single(SigmaRuleLoader.LoadDirectory(directory.FullName));

            Assert.Empty(file.Errors);
            Assert.Equal(3, Assert.Single(file.TestedRules).Tests.Count);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
