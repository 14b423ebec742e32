namespace Platform.Provisioning.Tests;

public sealed class Seed_stack
{
    [Fact]
    public async Task Is_applied_when_the_store_starts_empty()
    {
        await using var postgres = new PostgresServer();
        await using var host = ProvisioningService.Start(postgres.NewDatabaseConnectionString("seedstack"), RabbitMqServer.NewEntityPrefix(), "Stacks/seed.yaml");
        using var admin = host.CreateAdminClient();

        var stack = await admin.GetAsync("/v1/stacks/seed");

        Assert.Equal(HttpStatusCode.OK, stack.StatusCode);
        var source = await (await admin.GetAsync("/v1/sources/security-logs")).JsonAsync();
        Assert.Equal("security-logs", source.GetProperty("spec").GetProperty("streamName").GetString());
        Assert.Equal("TRIM_HORIZON", source.GetProperty("spec").GetProperty("startingPosition").GetString());
        Assert.Equal("seed", source.GetProperty("createdBy").GetString());
        var logGroup = await (await admin.GetAsync("/v1/log-groups/aws-cloudtrail-logs")).JsonAsync();
        Assert.Equal(365, logGroup.GetProperty("spec").GetProperty("retentionInDays").GetInt32());
        // The seed's detections are built into the detection service, not duplicated as custom rules.
        var customRules = await (await admin.GetAsync("/v1/detection-rules")).JsonAsync();
        Assert.Equal(0, customRules.GetArrayLength());
        // AWS Config: the seed's five managed rules, the bucket policy check as the built-in policy, and the remediation.
        var configRules = await (await admin.GetAsync("/v1/config-rules")).JsonAsync();
        Assert.Equal(
            ["cloudtrail-enabled", "custom-s3-bucket-policy-check", "ec2-instance-no-public-ip", "iam-password-policy", "root-account-mfa-enabled", "s3-bucket-server-side-encryption-enabled"],
            configRules.EnumerateArray().Select(r => r.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        var remediation = await (await admin.GetAsync("/v1/remediations/s3-bucket-server-side-encryption-enabled")).JsonAsync();
        Assert.Equal("AWS-EnableS3BucketEncryption", remediation.GetProperty("spec").GetProperty("TargetId").GetString());
        Assert.Equal(3, remediation.GetProperty("spec").GetProperty("MaximumAutomaticAttempts").GetInt32());
        Assert.True(remediation.GetProperty("spec").GetProperty("Automatic").GetBoolean());
        // CloudTrail Lake: the seed's event data store, protected from deletion.
        var store = (await (await admin.GetAsync("/v1/event-data-stores/security-events")).JsonAsync()).GetProperty("spec");
        Assert.Equal(365, store.GetProperty("RetentionPeriod").GetInt32());
        Assert.True(store.GetProperty("TerminationProtectionEnabled").GetBoolean());
        // The seed's queries, saved as written (ingestion's saved-query tests run these texts).
        var saved = (await (await admin.GetAsync("/v1/saved-queries")).JsonAsync()).EnumerateArray().ToDictionary(
            q => q.GetProperty("name").GetString()!, q => (Language: q.GetProperty("spec").GetProperty("language").GetString(), Query: q.GetProperty("spec").GetProperty("queryString").GetString()!.Trim()));
        Assert.Equal(new Dictionary<string, (string?, string)>
        {
            ["failed-attempts-by-principal"] = ("logs-insights", SeedQueries.FailedAttempts),
            ["recent-security-events"] = ("logs-insights", SeedQueries.Dashboard),
            ["failed-calls-by-event-name"] = ("sql", SeedQueries.SeedLake),
            ["top-rejected-connections"] = ("sql", SeedQueries.TopRejected),
            ["port-scanners"] = ("sql", SeedQueries.PortScanners),
            ["unusual-outbound-traffic"] = ("sql", SeedQueries.Outbound),
        }, saved);
        // The seed's security dashboard, its body as written: two metric widgets and the recent security events.
        var dashboard = (await (await admin.GetAsync("/v1/dashboards/SecurityOverview")).JsonAsync()).GetProperty("spec");
        Assert.Equal("SecurityOverview", dashboard.GetProperty("DashboardName").GetString());
        using var body = JsonDocument.Parse(dashboard.GetProperty("DashboardBody").GetString()!);
        Assert.Equal(["metric", "metric", "log"], body.RootElement.GetProperty("widgets").EnumerateArray().Select(w => w.GetProperty("type").GetString()));
    }
}
