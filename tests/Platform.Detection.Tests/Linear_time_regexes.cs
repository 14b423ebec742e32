using System.Diagnostics;
using Xunit.Abstractions;

namespace Platform.Detection.Tests;

/// <summary>
/// Rule regexes run in linear time, so a pattern that would backtrack catastrophically costs an event no more
/// than any other rule: findings behind hostile events are raised as promptly as without them.
/// </summary>
[Collection(DetectionCollection.Name)]
public sealed class Linear_time_regexes(DetectionHost detection, ITestOutputHelper output)
{
    [Fact]
    public async Task A_canary_behind_fifty_hostile_events_is_raised_without_any_regex_timing_out()
    {
        var (hostileId, canaryId) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var hostileName = "Hostile" + Guid.NewGuid().ToString("N")[..8];
        var canaryName = "Canary" + Guid.NewGuid().ToString("N")[..8];
        await detection.ProvisionRuleAsync("hostile-" + hostileId, ProbeRules.Custom(hostileId, hostileName, "userAgent|re: '^(a+)+$'"), hostileId);
        await detection.ProvisionRuleAsync("canary-" + canaryId, ProbeRules.Custom(canaryId, canaryName, "userAgent: canary"), canaryId);
        var hostile = Enumerable.Range(0, 50).Select(_ =>
        {
            var record = CloudTrail.Synthetic(hostileName, CloudTrail.UniqueArn(), CloudTrail.UniqueIp(), DateTimeOffset.UtcNow);
            record["userAgent"] = new string('a', 5_000) + "!";
            return record;
        });
        var canary = CloudTrail.Synthetic(canaryName, CloudTrail.UniqueArn(), CloudTrail.UniqueIp(), DateTimeOffset.UtcNow);
        canary["userAgent"] = "canary";
        var timeoutsBefore = SigmaRuntimeCounters.RegexTimeouts;
        var stopwatch = Stopwatch.StartNew();

        await detection.Bus.PublishAsync(CloudTrail.Batch([.. hostile, canary]));

        var findings = await detection.WaitForFindingsAsync($"ruleId={canaryId}", f => f.Count > 0);
        output.WriteLine($"canary finding after {stopwatch.ElapsedMilliseconds} ms");
        Assert.Single(findings);
        Assert.Equal(timeoutsBefore, SigmaRuntimeCounters.RegexTimeouts);
        Assert.Empty((await detection.FindingsAsync($"ruleId={hostileId}")).Items);
    }
}
