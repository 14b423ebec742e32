using System.Text;

namespace Platform.Sigma.Tests;

/// <summary>
/// A rule set's prefilter rules events out on their raw JSON before any parse (a retro-hunt parses only the rest): never
/// an event some rule matches, and most of the others when every rule requires its eventName or eventSource.
/// </summary>
public class Prefiltering_raw_events
{
    private static SigmaRuleSet RuleSet(params string[] detections) =>
        SigmaRuleSet.Create([.. detections.Select((d, i) => SigmaRuleParser.ParseOrThrow(Sigma.RuleYaml(d, $"rule {i}")).Single())]);

    private static bool MayMatch(SigmaRuleSet ruleSet, string json) => ruleSet.Prefilter!.MayMatch(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Rules_out_the_events_whose_json_holds_none_of_the_required_values_as_a_string_whatever_the_case()
    {
        var ruleSet = RuleSet("selection:\n    eventName: [DeleteTrail, StopLogging]\ncondition: selection", "selection:\n    eventSource: iam.amazonaws.com\ncondition: selection");

        Assert.True(MayMatch(ruleSet, """{"eventName":"stoplogging","eventSource":"cloudtrail.amazonaws.com"}"""));
        Assert.True(MayMatch(ruleSet, """{"eventName":"GetUser","eventSource":"IAM.amazonaws.com"}"""));
        Assert.False(MayMatch(ruleSet, """{"eventName":"GetUser","eventSource":"s3.amazonaws.com","note":"StopLoggingSoon"}"""));
        Assert.False(MayMatch(ruleSet, """{"eventName":"CreateTrail","eventSource":"cloudtrail.amazonaws.com"}"""));
    }

    [Fact]
    public void Lets_through_what_it_cannot_read_as_is_escaped_or_non_ascii_json()
    {
        var ruleSet = RuleSet("selection:\n    eventName: DeleteTrail\ncondition: selection");

        Assert.True(MayMatch(ruleSet, """{"eventName":"\u0044eleteTrail"}"""));
        Assert.True(MayMatch(ruleSet, """{"eventName":"CreateTrail","userName":"zoë"}"""));
        Assert.True(ruleSet.Evaluate(new SigmaEvent(Sigma.Json("""{"eventName":"\u0044eleteTrail"}"""), SigmaLogSources.CloudTrail)).Count == 1);
    }

    [Fact]
    public void A_set_with_a_rule_that_requires_no_value_has_no_prefilter()
    {
        Assert.Null(RuleSet("selection:\n    eventName: DeleteTrail\ncondition: selection", "selection:\n    userAgent|contains: cli\ncondition: selection").Prefilter);
        Assert.Null(RuleSet("a:\n    eventName: DeleteTrail\nb:\n    userAgent: x\ncondition: a or b").Prefilter);
        Assert.NotNull(RuleSet("a:\n    eventName: DeleteTrail\nb:\n    eventName: StopLogging\ncondition: a or b").Prefilter);
    }

    [Fact]
    public void Each_shipped_rule_keeps_every_stratus_record_it_matches_and_indexed_ones_rule_out_most_others()
    {
        var records = Directory.GetFiles(SharedData.StratusDirectory, "*.json")
            .SelectMany(file => JsonDocument.Parse(File.ReadAllText(file)).RootElement.EnumerateArray())
            .Select(record => (Record: record, Utf8: Encoding.UTF8.GetBytes(record.GetRawText())))
            .ToList();
        var rules = SigmaRuleLoader.LoadDirectory(SharedData.RulesDirectory).SelectMany(f => f.Rules).ToList();
        Assert.NotEmpty(records);
        Assert.NotEmpty(rules);

        var kept = 0L;
        var unmatched = 0L;
        foreach (var rule in rules)
        {
            var ruleSet = SigmaRuleSet.Create([rule], []);
            foreach (var (record, utf8) in records)
            {
                var matches = ruleSet.Evaluate(new SigmaEvent(record, SigmaLogSources.CloudTrail)).Count > 0;
                var mayMatch = ruleSet.Prefilter?.MayMatch(utf8) ?? true;
                Assert.True(mayMatch || !matches, $"{rule.Title} matches a record its prefilter ruled out: {record.GetRawText()}");
                if (ruleSet.Prefilter is not null && !matches)
                {
                    unmatched++;
                    kept += mayMatch ? 1 : 0;
                }
            }
        }

        Assert.True(unmatched > 0, "no shipped rule has a prefilter");
        Assert.True(kept * 10 < unmatched, $"the prefilters kept {kept} of {unmatched} records their rules do not match");
    }
}
