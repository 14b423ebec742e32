namespace Platform.Sigma.Tests;

public class Rule_set_index
{
    private static SigmaRuleDefinition Definition(string title, string detection, string logsource = "product: aws\n    service: cloudtrail") =>
        SigmaRuleParser.ParseOrThrow($"title: {title}\nlogsource:\n    {logsource}\ndetection:\n{string.Join('\n', detection.Split('\n').Select(l => "    " + l))}\n").Single();

    [Fact]
    public void Finds_rules_bucketed_by_event_name_and_unindexed_rules_alike()
    {
        var ruleSet = SigmaRuleSet.Create([
            Definition("by name", "selection:\n    eventName: [DeleteTrail, StopLogging]\ncondition: selection"),
            Definition("by source", "selection:\n    eventSource: cloudtrail.amazonaws.com\ncondition: selection"),
            Definition("unindexed", "selection:\n    userAgent|contains: cli\ncondition: selection"),
            Definition("or with unindexed branch", "a:\n    eventName: DeleteTrail\nb:\n    userAgent: x\ncondition: a or b"),
            Definition("other name", "selection:\n    eventName: CreateUser\ncondition: selection"),
        ]);
        var document = JsonDocument.Parse("""{"eventSource":"cloudtrail.amazonaws.com","eventName":"stoplogging","userAgent":"aws-cli"}""").RootElement;

        var matches = ruleSet.Evaluate(new SigmaEvent(document, SigmaLogSources.CloudTrail)).Select(r => r.Title).Order();

        Assert.Equal(["by name", "by source", "unindexed"], matches);
    }

    [Fact]
    public void Applies_rules_only_to_the_log_sources_they_cover()
    {
        var ruleSet = SigmaRuleSet.Create([
            Definition("any aws", "selection:\n    action: REJECT\ncondition: selection", "product: aws"),
            Definition("flow logs", "selection:\n    action: REJECT\ncondition: selection", "product: AWS\n    service: vpcflowlogs"),
            Definition("cloudtrail", "selection:\n    action: REJECT\ncondition: selection"),
        ]);
        var document = JsonDocument.Parse("""{"srcaddr":"10.0.0.1","dstport":22,"action":"REJECT"}""").RootElement;

        var matches = ruleSet.Evaluate(new SigmaEvent(document, SigmaLogSources.VpcFlowLogs)).Select(r => r.Title).Order();

        Assert.Equal(["any aws", "flow logs"], matches);
    }

    [Fact]
    public void Plain_text_events_are_searched_through_their_message_field()
    {
        var ruleSet = SigmaRuleSet.Create([
            Definition("ssh failure", "keywords:\n    - 'Failed password'\ncondition: keywords", "product: aws\n    service: text"),
        ]);
        var document = JsonDocument.Parse("""{"message":"sshd[1]: Failed password for root from 1.2.3.4"}""").RootElement;

        Assert.Single(ruleSet.Evaluate(new SigmaEvent(document, SigmaLogSources.Text)));
    }

    [Fact]
    public void Duplicate_rule_ids_are_rejected()
    {
        var yaml = "title: a\nid: same\nlogsource: {product: aws}\ndetection:\n    s: {a: b}\n    condition: s\n";

        Assert.Throws<SigmaRuleException>(() => SigmaRuleSet.Create([.. SigmaRuleParser.ParseOrThrow(yaml), .. SigmaRuleParser.ParseOrThrow(yaml)]));
    }
}
