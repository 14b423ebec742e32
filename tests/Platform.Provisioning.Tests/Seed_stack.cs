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
    }
}
