namespace Platform.Alerting.Tests;

/// <summary>
/// An alerting service on the real Postgres and RabbitMQ whose delivery retries fast (three attempts, tens of
/// milliseconds apart) and may reach local listeners, with a bus of the test's own to publish what other services
/// would. Shared by the tests of a collection: each uses targets of its own.
/// </summary>
public sealed class DeliveryHost : ServiceFixture<AlertingDbContext>
{
    public const string SigningSecret = "test-signing-secret-0123456789";
    public const string AnalystKey = "test-analyst-key-0123456789";

    /// <summary>The settings every delivery test host runs with; <paramref name="allowPrivateTargets"/> lets it reach local listeners.</summary>
    public static Dictionary<string, string?> Settings(bool allowPrivateTargets = true) => new()
    {
        [$"{DeliveryOptions.Section}:AllowPrivateTargets"] = allowPrivateTargets ? "true" : "false",
        [$"{DeliveryOptions.Section}:SigningSecret"] = SigningSecret,
        [$"{DeliveryOptions.Section}:MaxAttempts"] = "3",
        [$"{DeliveryOptions.Section}:InitialBackoff"] = "00:00:00.050",
        [$"{DeliveryOptions.Section}:MaxBackoff"] = "00:00:00.200",
        [$"{DeliveryOptions.Section}:PollInterval"] = "00:00:00.050",
        [$"{DeliveryOptions.Section}:Lease"] = "00:00:02",
        [$"{DeliveryOptions.Section}:AttemptTimeout"] = "00:00:05",
    };

    public static ServiceHost<AlertingDbContext> Start(string connectionString, string prefix, bool allowPrivateTargets = true) =>
        new(PlatformResources.AlertingDb, connectionString, prefix, Settings(allowPrivateTargets));

    protected override string Purpose => "alerting";

    public override ServiceHost<AlertingDbContext> StartHost() => Start(ConnectionString, Prefix);

    public override async Task WaitUntilReadyAsync(ServiceHost<AlertingDbContext> host)
    {
        await host.WaitUntilReadyAsync();
        host.IssueKey("analyst", PlatformRoles.Analyst, AnalystKey);
    }

    public static async Task<IBusControl> StartBusAsync(string prefix)
    {
        // Publishes only: its one queue receives nothing this test waits for.
        var bus = RabbitMqServer.CreateBus(prefix, $"{prefix}-delivery-test-{Guid.NewGuid():N}", _ => { });
        await bus.StartAsync();
        return bus;
    }

    /// <summary>Provisions a topic through the bus and waits until the host resolves it.</summary>
    public async Task ProvisionTopicAsync(string name, params TopicSubscription[] subscriptions)
    {
        await PublishAsync(new TopicProvisioned(name, new TopicSpec(subscriptions), 1));
        await WaitUntilResolvedAsync(Host, name);
    }

    public static async Task WaitUntilResolvedAsync(ServiceHost<AlertingDbContext> host, string target)
    {
        var targets = host.Services.GetRequiredService<DeliveryTargets>();
        Assert.NotNull(await Eventually.ObserveAsync(() => Task.FromResult(targets.Resolve(target, out _)), s => s is not null));
    }

    public Task ScheduleAsync(string target, DeliveryMessage message) =>
        Host.Services.GetRequiredService<IDeliveryScheduler>().ScheduleAsync(target, message, CancellationToken.None);

    /// <summary>Waits until the delivery of <paramref name="idempotencyKey"/> to <paramref name="target"/> has <paramref name="status"/>; returns it with its attempts.</summary>
    public static async Task<DeliveryView> WaitForDeliveryAsync(ServiceHost<AlertingDbContext> host, string target, string idempotencyKey, string status)
    {
        using var client = host.CreateAdminClient();
        var found = await Eventually.ObserveAsync(async () =>
        {
            var page = await client.GetFromJsonAsync<Page<DeliveryView>>($"/v1/deliveries?status={status}&limit=1000", PlatformJson.Options);
            return page!.Items.FirstOrDefault(d => d.Target == target && d.IdempotencyKey == idempotencyKey);
        }, d => d is not null, TimeSpan.FromSeconds(30));
        Assert.True(found is not null, $"no {status} delivery of {idempotencyKey} to {target}");
        return (await client.GetFromJsonAsync<DeliveryView>($"/v1/deliveries/{found.Id}", PlatformJson.Options))!;
    }

    public Task<DeliveryView> WaitForDeliveryAsync(string target, string idempotencyKey, string status) =>
        WaitForDeliveryAsync(Host, target, idempotencyKey, status);
}

[CollectionDefinition(Name)]
public sealed class DeliveryCollection : ICollectionFixture<DeliveryHost>
{
    public const string Name = "delivery";
}
