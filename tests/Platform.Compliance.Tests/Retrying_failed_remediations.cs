namespace Platform.Compliance.Tests;

/// <summary>
/// A failed automatic attempt is retried after <c>RetryAttemptSeconds</c> (on the service's clock) until
/// <c>MaximumAutomaticAttempts</c>; after the maximum the resource stays non-compliant, flagged, and nothing loops.
/// </summary>
[Collection(RemediationCollection.Name)]
public sealed class Retrying_failed_remediations(RemediationHost fixture)
{
    [Fact]
    public async Task A_target_failing_twice_succeeds_on_the_third_attempt()
    {
        var (rule, function, bucket) = RemediationHost.UniqueNames("retry", "flaky");
        fixture.Functions.Fails = Failing(function, n => n <= 2, fixture.Functions.Fails);
        await fixture.ProvisionAsync(rule, RemediationHost.FunctionRemediation(rule, function, maximumAttempts: 3));

        await fixture.PublishAsync(RemediationHost.Verdict(rule, bucket, "NON_COMPLIANT", version: 1));
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var failed = await WaitForFailureAsync(rule, attempt);
            Assert.True(failed.WillRetry);
            Assert.Contains("answered 500", failed.Reason, StringComparison.Ordinal);
            var queued = await fixture.WaitForExecutionAsync(rule, bucket, e => e.State == RemediationStates.Queued && e.Attempts == attempt);
            Assert.Equal(fixture.Clock.GetUtcNow().AddSeconds(60), queued!.NextAttemptTime!.Value, TimeSpan.FromMilliseconds(1));
            // Not before its time: the retry waits for the clock.
            await Task.Delay(300);
            Assert.Equal(attempt, fixture.Functions.CountOf(function));
            fixture.Clock.Advance(TimeSpan.FromSeconds(60));
        }

        var completed = await fixture.WaitForCompletedAsync(rule);
        Assert.Equal(3, completed.Attempt);
        Assert.Equal(3, fixture.Functions.CountOf(function));
        var execution = await fixture.WaitForExecutionAsync(rule, bucket, e => e.State == RemediationStates.Succeeded);
        Assert.Equal((3, 3, false, null), (execution!.Attempts, execution.AutomaticAttemptsInWindow, execution.Flagged, execution.LastError));
        var timeline = await fixture.TimelineAsync("AWS::S3::Bucket", bucket);
        Assert.Equal(
            [
                $"{rule}: remediation queued automatically (verdict 1)",
                $"{rule}: remediation attempt 1 started ({function})",
                $"{rule}: remediation attempt 1 failed: function {function} answered 500 on call 1; it is retried",
                $"{rule}: remediation attempt 2 started ({function})",
                $"{rule}: remediation attempt 2 failed: function {function} answered 500 on call 2; it is retried",
                $"{rule}: remediation attempt 3 started ({function})",
                $"{rule}: remediation attempt 3 succeeded ({function})",
            ],
            timeline.Select(e => e.Summary).ToList());
    }

    [Fact]
    public async Task After_the_maximum_the_resource_is_flagged_and_not_tried_again()
    {
        var (rule, function, bucket) = RemediationHost.UniqueNames("maximum", "broken");
        fixture.Functions.Fails = Failing(function, _ => true, fixture.Functions.Fails);
        await fixture.ProvisionAsync(rule, RemediationHost.FunctionRemediation(rule, function, maximumAttempts: 2));

        await fixture.PublishAsync(RemediationHost.Verdict(rule, bucket, "NON_COMPLIANT", version: 1));
        Assert.True((await WaitForFailureAsync(rule, 1)).WillRetry);
        fixture.Clock.Advance(TimeSpan.FromSeconds(60));
        var last = await WaitForFailureAsync(rule, 2);
        Assert.False(last.WillRetry);

        var flagged = await fixture.WaitForExecutionAsync(rule, bucket, e => e.State == RemediationStates.Failed);
        Assert.Equal((2, true, $"function {function} answered 500 on call 2"), (flagged!.Attempts, flagged.Flagged, flagged.LastError));
        Assert.Null(flagged.NextAttemptTime);

        // Time passes and the rule finds the bucket non-compliant again within the window: nothing runs.
        fixture.Clock.Advance(TimeSpan.FromMinutes(10));
        await fixture.PublishUntilConsumedAsync(RemediationHost.Verdict(rule, bucket, "NON_COMPLIANT", version: 3, old: "COMPLIANT"));
        await Task.Delay(300);
        Assert.Equal(2, fixture.Functions.CountOf(function));
        Assert.Equal(2, fixture.Failed.Count(f => f.ConfigRuleName == rule));
        var held = (await fixture.ExecutionsAsync(rule)).Single();
        Assert.True(held.Flagged);
        Assert.Contains("2 automatic attempts", held.LastError, StringComparison.Ordinal);
        var timeline = await fixture.TimelineAsync("AWS::S3::Bucket", bucket);
        Assert.EndsWith("no attempts left, flagged", timeline[^2].Summary, StringComparison.Ordinal);
        Assert.StartsWith($"{rule}: remediation held: 2 automatic attempts", timeline[^1].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resource_that_keeps_turning_non_compliant_is_remediated_at_most_the_maximum_per_window()
    {
        var (rule, function, bucket) = RemediationHost.UniqueNames("no-loop", "fix");
        await fixture.ProvisionAsync(rule, RemediationHost.FunctionRemediation(rule, function, maximumAttempts: 2));

        // Each remediation succeeds, yet something turns the bucket non-compliant again.
        await fixture.PublishAsync(RemediationHost.Verdict(rule, bucket, "NON_COMPLIANT", version: 1));
        await WaitForCompletionsAsync(rule, 1);
        fixture.Clock.Advance(TimeSpan.FromMinutes(5));
        await fixture.PublishAsync(RemediationHost.Verdict(rule, bucket, "NON_COMPLIANT", version: 3, old: "COMPLIANT"));
        await WaitForCompletionsAsync(rule, 2);
        fixture.Clock.Advance(TimeSpan.FromMinutes(5));
        await fixture.PublishUntilConsumedAsync(RemediationHost.Verdict(rule, bucket, "NON_COMPLIANT", version: 5, old: "COMPLIANT"));
        await Task.Delay(300);
        Assert.Equal(2, fixture.Functions.CountOf(function));
        var held = (await fixture.ExecutionsAsync(rule)).Single();
        Assert.Equal((RemediationStates.Succeeded, true), (held.State, held.Flagged));

        // A new window gives the resource its attempts again.
        fixture.Clock.Advance(TimeSpan.FromDays(1));
        await fixture.PublishAsync(RemediationHost.Verdict(rule, bucket, "NON_COMPLIANT", version: 7, old: "COMPLIANT"));
        Assert.Equal(3, await Eventually.ObserveAsync(() => Task.FromResult(fixture.Functions.CountOf(function)), n => n == 3));
    }

    private async Task WaitForCompletionsAsync(string rule, int count) =>
        Assert.Equal(count, await Eventually.ObserveAsync(
            () => Task.FromResult(fixture.Completed.Count(c => c.ConfigRuleName == rule)), n => n >= count));

    private async Task<RemediationFailed> WaitForFailureAsync(string rule, int attempt)
    {
        var failed = await Eventually.ObserveAsync(
            () => Task.FromResult(fixture.Failed.FirstOrDefault(f => f.ConfigRuleName == rule && f.Attempt == attempt)), f => f is not null);
        Assert.True(failed is not null, $"attempt {attempt} of {rule} never failed");
        return failed;
    }

    /// <summary>Fails the calls of <paramref name="function"/> that <paramref name="fails"/> says, and leaves others to <paramref name="others"/>.</summary>
    private static Func<string, int, bool> Failing(string function, Func<int, bool> fails, Func<string, int, bool> others) =>
        (name, n) => name == function ? fails(n) : others(name, n);
}
