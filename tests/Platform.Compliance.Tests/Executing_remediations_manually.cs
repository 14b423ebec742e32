namespace Platform.Compliance.Tests;

/// <summary>
/// <c>POST /v1/remediations/{rule}/execute</c> runs a rule's remediation on chosen resources, as StartRemediationExecution
/// takes them; <c>GET .../executions</c> says how each went, as DescribeRemediationExecutionStatus does.
/// </summary>
[Collection(RemediationCollection.Name)]
public sealed class Executing_remediations_manually(RemediationHost fixture)
{
    [Fact]
    public async Task An_admin_runs_a_remediation_on_chosen_resources_and_an_analyst_reads_their_state()
    {
        var rule = TestNames.Unique("manual");
        var function = TestNames.Unique("fix");
        var (first, second) = (TestNames.Unique("bucket-a"), TestNames.Unique("bucket-b"));
        await fixture.ProvisionAsync(rule, RemediationHost.FunctionRemediation(rule, function, automatic: false));
        using var admin = fixture.Host.CreateAdminClient();

        using var response = await admin.PostAsJsonAsync($"/v1/remediations/{rule}/execute", new
        {
            resourceKeys = new[] { new { resourceType = "AWS::S3::Bucket", resourceId = first }, new { resourceType = "AWS::S3::Bucket", resourceId = second } },
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<StartRemediationExecutionResponse>(PlatformJson.Options);
        Assert.Equal([(first, true), (second, true)], accepted!.Results.Select(r => (r.ResourceKey.ResourceId!, r.Accepted)).ToList());
        foreach (var bucket in new[] { first, second })
        {
            var execution = await fixture.WaitForExecutionAsync(rule, bucket, e => e.State == RemediationStates.Succeeded);
            Assert.Equal((1, false, false), (execution!.Attempts, execution.Automatic, execution.Flagged));
        }
        Assert.Equal(2, fixture.Functions.CountOf(function));
        var statuses = await fixture.ExecutionsAsync(rule, RemediationHost.AnalystKey);
        Assert.Equal([first, second], statuses.Select(s => s.ResourceKey.ResourceId!).Order(StringComparer.Ordinal).ToList().Order(StringComparer.Ordinal));
        // Published by the outbox relay after each execution's state is stored: waited for, then counted.
        var completed = await Eventually.ObserveAsync(
            () => Task.FromResult(fixture.Completed.Where(c => c.ConfigRuleName == rule).ToList()), c => c.Count >= 2);
        Assert.Equal(2, completed.Count);
        Assert.All(completed, c => Assert.False(c.Automatic));
        var timeline = await fixture.TimelineAsync("AWS::S3::Bucket", first);
        Assert.Equal($"{rule}: remediation requested by {ApiKeyAuthenticationExtensions.BootstrapAdminKeyName}", timeline[0].Summary);
    }

    [Fact]
    public async Task A_manual_run_fails_once_without_retrying_and_an_analyst_may_not_start_one()
    {
        var (rule, function, bucket) = RemediationHost.UniqueNames("manual-fail", "down");
        var others = fixture.Functions.Fails;
        fixture.Functions.Fails = (name, n) => name == function || others(name, n);
        await fixture.ProvisionAsync(rule, RemediationHost.FunctionRemediation(rule, function, automatic: false));
        var body = new { resourceKeys = new[] { new { resourceType = "AWS::S3::Bucket", resourceId = bucket } } };

        using var analyst = fixture.Host.CreateClient(RemediationHost.AnalystKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsJsonAsync($"/v1/remediations/{rule}/execute", body)).StatusCode);
        using var admin = fixture.Host.CreateAdminClient();
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsJsonAsync($"/v1/remediations/{rule}/execute", body)).StatusCode);

        var failed = await fixture.WaitForExecutionAsync(rule, bucket, e => e.State == RemediationStates.Failed);
        Assert.Equal((1, false), (failed!.Attempts, failed.Flagged));
        fixture.Clock.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(300);
        Assert.Equal(1, fixture.Functions.CountOf(function));
        Assert.False(Assert.Single(fixture.Failed, f => f.ConfigRuleName == rule).WillRetry);
    }

    [Theory]
    [InlineData("{}", "resourceKeys")]
    [InlineData("""{"resourceKeys": []}""", "resourceKeys")]
    [InlineData("""{"resourceKeys": [{"resourceType": "AWS::S3::Bucket"}]}""", "resourceKeys[0].resourceId")]
    [InlineData("""{"resourceKeys": [{"resourceType": "", "resourceId": "b"}]}""", "resourceKeys[0].resourceType")]
    [InlineData("""{"resourceKeys": [{"resourceType": "AWS::S3::Bucket", "resourceId": "a\u0000b"}]}""", "resourceKeys[0].resourceId")]
    [InlineData("""{"resourceKeys": "AWS::S3::Bucket"}""", "resourceKeys")]
    [InlineData("""{"resourceKeys": [""", "body")]
    public async Task A_bad_request_is_400_naming_the_field(string body, string field)
    {
        var rule = TestNames.Unique("bad-request");
        await fixture.ProvisionAsync(rule, RemediationHost.FunctionRemediation(rule, "fix", automatic: false));
        using var admin = fixture.Host.CreateAdminClient();

        using var response = await admin.PostAsync($"/v1/remediations/{rule}/execute", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_rule_without_a_remediation_is_404_and_so_is_one_whose_remediation_was_deleted()
    {
        var rule = TestNames.Unique("deleted");
        await fixture.ProvisionAsync(rule, RemediationHost.FunctionRemediation(rule, "fix", automatic: false));
        using var admin = fixture.Host.CreateAdminClient();
        var body = new { resourceKeys = new[] { new { resourceType = "AWS::S3::Bucket", resourceId = "b" } } };

        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync($"/v1/remediations/{TestNames.Unique("unknown")}/execute", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/remediations/{TestNames.Unique("unknown")}/executions")).StatusCode);

        await fixture.PublishAsync(new RemediationDeleted(rule, 2));
        // An older change arriving late does not bring it back.
        await fixture.PublishAsync(new RemediationProvisioned(rule, RemediationHost.FunctionRemediation(rule, "fix"), 1));
        var live = fixture.Host.Services.GetRequiredService<LiveRemediations>();
        Assert.True(await Eventually.ObserveAsync(() => Task.FromResult(live.IsDeleted(rule)), deleted => deleted));
        await Task.Delay(300);
        Assert.Null(live.Find(rule));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync($"/v1/remediations/{rule}/execute", body)).StatusCode);
    }
}
