using System.Diagnostics;
using Xunit.Abstractions;

namespace Platform.Provisioning.Tests;

/// <summary>
/// Documents built to exhaust the service (alias bombs, deep nesting, backtracking regexes) are refused with
/// 400 naming the limit, quickly and without the service growing: one request must not take the process down.
/// </summary>
[Collection(ProvisioningCollection.Name)]
public sealed class Refusing_hostile_documents(ProvisioningService service, ITestOutputHelper output)
{
    /// <summary>300 bytes that expand to 9^8 (43 million) strings when aliases are followed.</summary>
    private static string BillionLaughs() =>
        "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + string.Concat(
            "bcdefgh".Select(level => $"{level}: &{level} [{string.Join(',', Enumerable.Repeat("*" + (char)(level - 1), 9))}]\n"));

    private static string Rule(string condition) =>
        $"""
        title: Hostile
        logsource:
          product: aws
          service: cloudtrail
        detection:
          sel:
            eventName: X
          condition: {condition}
        """;

    private async Task<IReadOnlyDictionary<string, string[]>> PutRuleAsync(string yaml)
    {
        var response = await service.PutAsync("detection-rules", Unique("hostile"), Yaml(yaml));
        return await response.ProblemFieldsAsync();
    }

    [Fact]
    public async Task A_billion_laughs_stack_is_refused_within_a_second_without_growing_memory()
    {
        using var admin = service.Admin();
        admin.Timeout = TimeSpan.FromMinutes(5);
        // Warm the endpoint so the measurement is the document's cost, not the first request's.
        await admin.PutAsync($"/v1/stacks/{Unique("st")}?dryRun=true", Yaml("resources: []\n"));
        var document = BillionLaughs();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();

        var response = await admin.PutAsync($"/v1/stacks/{Unique("st")}?dryRun=true", Yaml(document));

        stopwatch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        output.WriteLine($"{document.Length} bytes: {(int)response.StatusCode} in {stopwatch.ElapsedMilliseconds} ms, {allocated / 1024 / 1024} MB allocated");
        var reason = Assert.Single((await response.ProblemFieldsAsync())["body"]);
        Assert.Contains("100000 nodes", reason);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"took {stopwatch.Elapsed}");
        Assert.True(allocated < 64 * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task A_stack_nested_100000_levels_deep_is_refused_naming_the_limit()
    {
        using var admin = service.Admin();
        var document = "resources: " + new string('[', 100_000) + new string(']', 100_000) + "\n";

        var response = await admin.PutAsync($"/v1/stacks/{Unique("st")}?dryRun=true", Yaml(document));

        var reason = Assert.Single((await response.ProblemFieldsAsync())["body"]);
        Assert.Contains("deeper than 64 levels", reason);
    }

    [Fact]
    public async Task A_rule_with_100000_nots_is_refused_naming_the_limit()
    {
        var fields = await PutRuleAsync(Rule(string.Concat(Enumerable.Repeat("not ", 100_000)) + "sel"));

        var reason = Assert.Single(fields["yaml"]);
        Assert.Contains("condition nests deeper than 64 levels", reason);
        Assert.True(reason.Length < 1000, "the reason quotes the condition in full");
    }

    [Fact]
    public async Task A_rule_with_100000_nested_parentheses_is_refused_naming_the_limit()
    {
        var fields = await PutRuleAsync(Rule(new string('(', 100_000) + "sel" + new string(')', 100_000)));

        Assert.Contains("condition nests deeper than 64 levels", Assert.Single(fields["yaml"]));
    }

    [Fact]
    public async Task A_rule_whose_aliases_expand_past_the_budget_is_refused()
    {
        var fields = await PutRuleAsync(BillionLaughs() + Rule("sel"));

        Assert.Contains("100000 nodes", Assert.Single(fields["yaml"]));
    }

    [Fact]
    public async Task A_rule_with_a_backreference_is_refused_naming_the_field_and_reason()
    {
        var yaml = Rule("sel").Replace("eventName: X", "userAgent|re: '(a)\\1'", StringComparison.Ordinal);

        var reason = Assert.Single((await PutRuleAsync(yaml))["yaml"]);

        Assert.Contains("userAgent", reason);
        Assert.Contains("linear time", reason);
    }

    [Fact]
    public async Task A_rule_with_a_nested_quantifier_is_accepted_since_it_runs_in_linear_time()
    {
        var yaml = Rule("sel").Replace("eventName: X", "userAgent|re: '^(a+)+$'", StringComparison.Ordinal);

        var response = await service.PutAsync("detection-rules", Unique("linear"), Yaml(yaml));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
