namespace Platform.Compliance.Tests;

/// <summary>The compliance service on the real Postgres and RabbitMQ: it starts and migrates its database.</summary>
public sealed class Starting_the_service : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();
    private ServiceHost<ComplianceDbContext> _host = null!;

    public async Task InitializeAsync()
    {
        _host = new ServiceHost<ComplianceDbContext>(
            PlatformResources.ComplianceDb, _postgres.NewDatabaseConnectionString("compliance"), RabbitMqServer.NewEntityPrefix());
        await _host.WaitUntilHealthyAsync();
    }

    [Fact]
    public async Task It_reports_healthy_with_its_event_store_migrated()
    {
        using var anonymous = _host.CreateClient(apiKey: null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        await using var scope = _host.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<Platform.EventSourcing.Storage.EventStore>();
        Assert.Equal(0, await store.GetVersionAsync("configuration/AWS::S3::Bucket/never-recorded", CancellationToken.None));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
