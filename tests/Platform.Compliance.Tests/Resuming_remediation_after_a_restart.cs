namespace Platform.Compliance.Tests;

/// <summary>The retry schedule lives in Postgres: a retry due while the service was down runs on the next instance.</summary>
public sealed class Resuming_remediation_after_a_restart : IAsyncLifetime
{
    private readonly RemediationHost _fixture = new();

    [Fact]
    public async Task A_retry_scheduled_before_a_restart_runs_after_it_with_the_configuration_caught_up()
    {
        var (rule, function, bucket) = RemediationHost.UniqueNames("restart", "flaky");
        _fixture.Functions.Fails = (name, n) => name == function && n == 1;
        await _fixture.ProvisionAsync(rule, RemediationHost.FunctionRemediation(rule, function, maximumAttempts: 3));
        await _fixture.PublishAsync(RemediationHost.Verdict(rule, bucket, "NON_COMPLIANT", version: 1));
        await _fixture.WaitForExecutionAsync(rule, bucket, e => e.State == RemediationStates.Queued && e.Attempts == 1);

        await _fixture.RestartAsync();
        // The new instance learns the remediation from provisioning's catch-up, not from a live event.
        await RemediationHost.WaitUntilAppliedAsync(_fixture.Host, rule, c => c?.TargetId == function);
        _fixture.Clock.Advance(TimeSpan.FromSeconds(60));

        var completed = await _fixture.WaitForCompletedAsync(rule);
        Assert.Equal(2, completed.Attempt);
        Assert.Equal(2, _fixture.Functions.CountOf(function));
        var execution = await _fixture.WaitForExecutionAsync(rule, bucket, e => e.State == RemediationStates.Succeeded);
        Assert.Equal(2, execution!.Attempts);
    }

    [Fact]
    public async Task An_attempt_cut_short_by_a_stop_is_taken_over_when_its_lease_runs_out()
    {
        var (rule, function, bucket) = RemediationHost.UniqueNames("lease", "slow");
        await _fixture.ProvisionAsync(rule, RemediationHost.FunctionRemediation(rule, function, maximumAttempts: 3));
        var release = new TaskCompletionSource();
        _fixture.Functions.Hold = (name, n) => name == function && n == 1 ? release.Task : Task.CompletedTask;
        await _fixture.PublishAsync(RemediationHost.Verdict(rule, bucket, "NON_COMPLIANT", version: 1));
        await Eventually.ObserveAsync(() => Task.FromResult(_fixture.Functions.CountOf(function)), n => n == 1);

        await _fixture.RestartAsync();
        release.SetResult();
        await RemediationHost.WaitUntilAppliedAsync(_fixture.Host, rule, c => c?.TargetId == function);
        // Still leased by the stopped instance: nothing runs until the lease runs out.
        await Task.Delay(300);
        Assert.Equal(1, _fixture.Functions.CountOf(function));
        _fixture.Clock.Advance(TimeSpan.FromMinutes(1));

        var completed = await _fixture.WaitForCompletedAsync(rule);
        Assert.Equal(1, completed.Attempt);
        Assert.Equal(2, _fixture.Functions.CountOf(function));
        var timeline = await _fixture.TimelineAsync("AWS::S3::Bucket", bucket);
        Assert.Equal($"{rule}: remediation attempt 1 started ({function}), resumed", timeline[^2].Summary);
    }

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();
}
