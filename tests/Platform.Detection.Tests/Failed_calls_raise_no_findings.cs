using Platform.Detection.Tests.Rules;

namespace Platform.Detection.Tests;

/// <summary>
/// Through the real detection service: each built-in rule about a successful action raises its finding for the
/// call its own test says it must match, and nothing for the same call when it failed (errorCode AccessDenied).
/// </summary>
[Collection(DetectionCollection.Name)]
public sealed class Failed_calls_raise_no_findings(DetectionHost detection)
{
    [Fact]
    public async Task A_call_denied_with_AccessDenied_raises_no_finding_from_a_rule_about_a_successful_action()
    {
        var rules = SuccessRulesWithTheirMatchingCall();
        var succeeded = CloudTrail.UniqueArn("succeeded");
        var denied = CloudTrail.UniqueArn("denied");
        var now = CloudTrail.Now();
        var deniedBatch = CloudTrail.Batch(rules.Select(r => Denied(CloudTrail.Variant(r.Record, denied, now))));
        var messageId = Guid.NewGuid();

        await detection.Bus.PublishAsync(deniedBatch, messageId);
        await detection.Bus.PublishAsync(CloudTrail.Batch(rules.Select(r => CloudTrail.Variant(r.Record, succeeded, now))));

        // The same calls, successful, raise every rule's finding: the records are ones the rules match.
        var raised = await detection.WaitForFindingsAsync(
            $"principal={Uri.EscapeDataString(succeeded)}&limit=1000", f => rules.All(r => f.Any(x => x.RuleId == r.RuleId)));
        Assert.All(rules, r => Assert.Contains(raised, f => f.RuleId == r.RuleId));
        await Eventually.ObserveAsync(() => Task.FromResult(detection.Consumed.CountOf(messageId)), n => n >= 1);
        var deniedFindings = (await detection.FindingsAsync($"principal={Uri.EscapeDataString(denied)}&limit=1000")).Items;
        Assert.Empty(deniedFindings.Where(f => rules.Any(r => r.RuleId == f.RuleId)).Select(f => f.Title));
    }

    /// <summary>
    /// The built-in detection rules (not correlations) that are not about attempts, each with the first event of a
    /// test case it must match.
    /// </summary>
    private static List<(string RuleId, JsonObject Record)> SuccessRulesWithTheirMatchingCall() =>
        [.. RuleHarness.BuiltinFiles
            .Where(f => !RuleHarness.RulesAboutAttempts.Contains(Path.GetFileName(f.Path)) && f.Correlations.Count == 0)
            .SelectMany(f => f.Rules)
            .Select(r => (r.Key, r.Definition.Tests.First(t => t.Expect.ExpectsMatch).Events[0]))
            .Select(p => (p.Key, JsonNode.Parse(p.Item2.GetRawText())!.AsObject()))];

    private static JsonObject Denied(JsonObject record)
    {
        record["errorCode"] = "AccessDenied";
        record["errorMessage"] = $"User: {record["userIdentity"]!["arn"]} is not authorized to perform this operation";
        record["responseElements"] = null;
        return record;
    }
}
