using System.Xml.Linq;

namespace Platform.Compliance.Tests;

/// <summary>
/// A rule's automatic remediation runs when the rule finds a resource NON_COMPLIANT: the seed's
/// <c>AWS-EnableS3BucketEncryption</c> as a signed PutBucketEncryption to S3, once per verdict however often it is delivered.
/// </summary>
[Collection(RemediationCollection.Name)]
public sealed class Remediating_non_compliant_resources_automatically(RemediationHost fixture)
{
    /// <summary>The seed's remediation, as its <c>put_remediation_configurations</c> call gives it, read as JSON.</summary>
    private static RemediationSpec SeedRemediation(string rule) => JsonSerializer.Deserialize<RemediationSpec>(SeedRemediations.S3BucketEncryption(rule), PlatformJson.Options)!;

    /// <summary>Provisions the seed's remediation for a unique rule, then publishes that a unique bucket is NON_COMPLIANT.</summary>
    private async Task<(string Rule, string Bucket)> SeedRemediationOfANonCompliantBucketAsync(string rule, string bucket)
    {
        (rule, bucket) = (TestNames.Unique(rule), TestNames.Unique(bucket));
        await fixture.ProvisionAsync(rule, SeedRemediation(rule));
        await fixture.PublishAsync(RemediationHost.Verdict(rule, bucket, "NON_COMPLIANT", version: 1));
        return (rule, bucket);
    }

    [Fact]
    public async Task A_non_compliant_bucket_gets_a_signed_PutBucketEncryption_with_AES256_and_the_attempt_on_its_timeline()
    {
        var (rule, bucket) = await SeedRemediationOfANonCompliantBucketAsync("s3-bucket-server-side-encryption-enabled", "logs-bucket");

        var completed = await fixture.WaitForCompletedAsync(rule);
        Assert.Equal((bucket, "SSM_DOCUMENT", "AWS-EnableS3BucketEncryption", 1, true),
            (completed.ResourceId, completed.TargetType, completed.TargetId, completed.Attempt, completed.Automatic));

        var request = Assert.Single(fixture.S3.Received, r => r.RawTarget.StartsWith($"/{bucket}", StringComparison.Ordinal));
        Assert.Equal("PUT", request.Method);
        // Path-style, as S3 takes it: the bucket, then the encryption subresource.
        Assert.Contains(request.RawTarget, new[] { $"/{bucket}?encryption", $"/{bucket}/?encryption" });
        Assert.Null(request.SignatureProblem);
        Assert.Contains("/eu-west-1/s3/aws4_request", request.Headers["authorization"], StringComparison.Ordinal);
        var xml = XDocument.Parse(request.Body);
        Assert.Equal("ServerSideEncryptionConfiguration", xml.Root!.Name.LocalName);
        Assert.Equal("AES256", xml.Descendants().Single(e => e.Name.LocalName == "SSEAlgorithm").Value);
        Assert.DoesNotContain(xml.Descendants(), e => e.Name.LocalName == "KMSMasterKeyID");

        var execution = await fixture.WaitForExecutionAsync(rule, bucket, e => e.State == RemediationStates.Succeeded);
        Assert.Equal((1, false, null), (execution!.Attempts, execution.Flagged, execution.LastError));

        var timeline = await fixture.TimelineAsync("AWS::S3::Bucket", bucket);
        Assert.Equal(
            [
                $"{rule}: remediation queued automatically (verdict 1)",
                $"{rule}: remediation attempt 1 started (AWS-EnableS3BucketEncryption)",
                $"{rule}: remediation attempt 1 succeeded (AWS-EnableS3BucketEncryption)",
            ],
            timeline.Select(e => e.Summary).ToList());
        Assert.All(timeline, e => Assert.Equal(RemediationTimeline.EntryType, e.Type));
        Assert.Equal([1L, 2L, 3L], timeline.Select(e => e.Version).ToList());
    }

    [Fact]
    public async Task A_wrongly_signed_request_is_what_the_listener_refuses()
    {
        // The listener's check is the proof above: a request signed with another key, or whose body changed after
        // signing, does not pass it.
        var (_, bucket) = await SeedRemediationOfANonCompliantBucketAsync("s3-encryption-signature", "sig-bucket");
        var request = await Eventually.ObserveAsync(
            () => Task.FromResult(fixture.S3.Received.FirstOrDefault(r => r.RawTarget.StartsWith($"/{bucket}", StringComparison.Ordinal))),
            r => r is not null);

        Assert.Null(S3Listener.CheckSignature(request!.Method, request.RawTarget, request.Headers, request.Body));
        Assert.NotNull(S3Listener.CheckSignature(request.Method, request.RawTarget, request.Headers, request.Body.Replace("AES256", "aws:kms")));
        var forged = new Dictionary<string, string>(request.Headers)
        {
            ["authorization"] = request.Headers["authorization"][..^8] + "00000000",
        };
        Assert.NotNull(S3Listener.CheckSignature(request.Method, request.RawTarget, forged, request.Body));
    }

    [Fact]
    public async Task A_redelivered_verdict_starts_nothing_twice()
    {
        var (rule, function, bucket) = RemediationHost.UniqueNames("redelivery", "fix-bucket");
        await fixture.ProvisionAsync(rule, RemediationHost.FunctionRemediation(rule, function));
        var verdict = RemediationHost.Verdict(rule, bucket, "NON_COMPLIANT", version: 4);

        var first = Guid.NewGuid();
        var again = Guid.NewGuid();
        await fixture.PublishAsync(verdict, first);
        await fixture.WaitForExecutionAsync(rule, bucket, e => e.State == RemediationStates.Succeeded);
        await fixture.PublishAsync(verdict, first);
        await fixture.PublishAsync(verdict, again);
        await Eventually.ObserveAsync(() => Task.FromResult(fixture.Consumed.CountOf(first) + fixture.Consumed.CountOf(again)), n => n >= 3);

        // The verdict is queued (or not) before its message counts as consumed: nothing new was asked for.
        Assert.Equal(3, (await fixture.TimelineAsync("AWS::S3::Bucket", bucket)).Count);
        Assert.Equal(1, fixture.Functions.CountOf(function));
        Assert.Single(fixture.Completed, c => c.ConfigRuleName == rule);
        var (_, payload) = Assert.Single(fixture.Functions.Calls, c => c.Function == function);
        Assert.Equal(bucket, payload.GetProperty("ResourceId").GetString());
        Assert.Equal(bucket, payload.GetProperty("Parameters").GetProperty("BucketName").GetString());
        Assert.Equal("strict", payload.GetProperty("Parameters").GetProperty("Mode").GetString());
        Assert.Equal("123456789012", payload.GetProperty("AwsAccountId").GetString());
    }

    [Fact]
    public async Task Only_a_non_compliant_verdict_on_a_rule_with_automatic_remediation_starts_one()
    {
        var automatic = TestNames.Unique("automatic");
        var manual = TestNames.Unique("manual-only");
        var function = TestNames.Unique("fix");
        var bucket = TestNames.Unique("bucket");
        await fixture.ProvisionAsync(automatic, RemediationHost.FunctionRemediation(automatic, function));
        await fixture.ProvisionAsync(manual, RemediationHost.FunctionRemediation(manual, function, automatic: false));

        var compliant = Guid.NewGuid();
        var notAutomatic = Guid.NewGuid();
        var unknownRule = Guid.NewGuid();
        await fixture.PublishAsync(RemediationHost.Verdict(automatic, bucket, "COMPLIANT", version: 1), compliant);
        await fixture.PublishAsync(RemediationHost.Verdict(manual, bucket, "NON_COMPLIANT", version: 1), notAutomatic);
        await fixture.PublishAsync(RemediationHost.Verdict(TestNames.Unique("no-remediation"), bucket, "NON_COMPLIANT", version: 1), unknownRule);
        await Eventually.ObserveAsync(
            () => Task.FromResult(new[] { compliant, notAutomatic, unknownRule }.Count(id => fixture.Consumed.CountOf(id) > 0)), n => n == 3);
        Assert.Equal(0, fixture.Functions.CountOf(function));

        await fixture.PublishAsync(RemediationHost.Verdict(automatic, bucket, "NON_COMPLIANT", version: 2, old: "COMPLIANT"));
        await fixture.WaitForExecutionAsync(automatic, bucket, e => e.State == RemediationStates.Succeeded);
        Assert.Equal(1, fixture.Functions.CountOf(function));
        Assert.Empty(await fixture.ExecutionsAsync(manual));
    }
}
