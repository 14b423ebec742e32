using Platform.Compliance.Functions;
using Platform.Compliance.S3;
using Platform.Compliance.Timeline;
using Platform.ConfigRules.Remediation;

namespace Platform.Compliance.Tests;

/// <summary>
/// The compliance service on the real Postgres and RabbitMQ for the remediation tests: a fake clock (retries wait for
/// it), a recording function caller (the function seam), S3 at a local listener that checks signatures, and a bus of
/// the test's own that publishes what provisioning and evaluation would and hears what remediation publishes. Shared
/// by the tests of a collection: each uses rules and resources of its own.
/// </summary>
public sealed class RemediationHost : ServiceFixture<ComplianceDbContext>
{
    /// <summary>08:40:30 on 30 Nov 2026 (UTC): the clock every remediation test starts from.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 8, 40, 30, TimeSpan.Zero);

    public const string AnalystKey = "test-analyst-key-remediation-0123";

    public FakeTimeProvider Clock { get; } = new(Start);

    public RecordingFunctionCaller Functions { get; } = new();

    public ConsumedMessages Consumed { get; } = new();

    public S3Listener S3 { get; private set; } = null!;

    public ConcurrentQueue<RemediationCompleted> Completed { get; } = new();

    public ConcurrentQueue<RemediationFailed> Failed { get; } = new();

    /// <summary>What the test's provisioning stand-in answers the catch-up with: the remediations provisioned so far.</summary>
    public ConcurrentDictionary<string, (RemediationSpec Spec, long Version)> Provisioned { get; } = new(StringComparer.Ordinal);

    protected override string Purpose => "remediation";

    protected override async Task StartDependenciesAsync() => S3 = await S3Listener.StartAsync();

    protected override ValueTask StopDependenciesAsync() => S3.DisposeAsync();

    protected override void Hear(IRabbitMqReceiveEndpointConfigurator endpoint)
    {
        endpoint.OnEach<RemediationCompleted>(Completed.Enqueue);
        endpoint.OnEach<RemediationFailed>(Failed.Enqueue);
        // Provisioning's part: the catch-up an instance asks for at start.
        endpoint.Handler<GetProvisionedResources>(context => context.RespondAsync(new ProvisionedResources(context.Message.Kind,
            context.Message.Kind == ProvisioningKinds.Remediations
                ? [.. Provisioned.Select(p => new ProvisionedResource(p.Key, p.Value.Version, JsonSerializer.SerializeToElement(p.Value.Spec, PlatformJson.Options)))]
                : [])));
    }

    /// <summary>A compliance instance on this fixture's database, broker prefix, clock, function caller and S3 listener.</summary>
    public override ServiceHost<ComplianceDbContext> StartHost() =>
        new(PlatformResources.ComplianceDb, ConnectionString, Prefix,
            new Dictionary<string, string?>
            {
                [$"{RemediationOptions.Section}:PollInterval"] = "00:00:00.050",
                [$"{RemediationOptions.Section}:Lease"] = "00:01:00",
                [$"{RemediationOptions.Section}:AttemptTimeout"] = "00:00:10",
                [$"{ComplianceS3Options.Section}:ServiceUrl"] = S3.Url,
                [$"{ComplianceS3Options.Section}:Region"] = "eu-west-1",
                [$"{ComplianceS3Options.Section}:AccessKeyId"] = S3Listener.AccessKeyId,
                [$"{ComplianceS3Options.Section}:SecretAccessKey"] = S3Listener.SecretAccessKey,
            },
            services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                services.AddSingleton<IFunctionCaller>(Functions);
                services.AddSingleton(Consumed);
                services.AddConsumeObserver(sp => sp.GetRequiredService<ConsumedMessages>());
            });

    /// <summary>The service answers, its bus is connected (its queues bound before a test publishes), and it knows the analyst key.</summary>
    public override async Task WaitUntilReadyAsync(ServiceHost<ComplianceDbContext> host)
    {
        await host.WaitUntilReadyAsync();
        host.IssueKey("analyst", PlatformRoles.Analyst, AnalystKey);
    }

    /// <summary>Provisions a remediation as provisioning does (its RemediationProvisioned on the broker) and waits until the host runs it.</summary>
    public async Task ProvisionAsync(string rule, RemediationSpec spec, long version = 1)
    {
        Provisioned[rule] = (spec, version);
        await PublishAsync(new RemediationProvisioned(rule, spec, version));
        await WaitUntilAppliedAsync(Host, rule, c => c is not null && c.TargetId == spec.TargetId && c.Automatic == (spec.Automatic ?? false));
    }

    /// <summary>Waits until <paramref name="host"/>'s configuration of the rule's remediation satisfies <paramref name="applied"/>.</summary>
    public static async Task WaitUntilAppliedAsync(ServiceHost<ComplianceDbContext> host, string rule, Func<RemediationConfiguration?, bool> applied)
    {
        var live = host.Services.GetRequiredService<LiveRemediations>();
        Assert.True(applied(await Eventually.ObserveAsync(() => Task.FromResult(live.Find(rule)), applied)),
            $"the host never applied the expected remediation of {rule}");
    }

    /// <summary>Unique names, after the stems, for a rule, the function its remediation calls and a bucket to remediate.</summary>
    public static (string Rule, string Function, string Bucket) UniqueNames(string rule, string function) =>
        (TestNames.Unique(rule), TestNames.Unique(function), TestNames.Unique("bucket"));

    /// <summary>Publishes the verdict and waits until the service has consumed it.</summary>
    public async Task PublishUntilConsumedAsync(ComplianceChanged verdict)
    {
        var messageId = Guid.NewGuid();
        await PublishAsync(verdict, messageId);
        await Eventually.ObserveAsync(() => Task.FromResult(Consumed.CountOf(messageId)), n => n > 0);
    }

    /// <summary>Waits for the first completion of the rule's remediation; fails if none comes.</summary>
    public async Task<RemediationCompleted> WaitForCompletedAsync(string rule)
    {
        var completed = await Eventually.ObserveAsync(
            () => Task.FromResult(Completed.FirstOrDefault(c => c.ConfigRuleName == rule)), c => c is not null);
        Assert.NotNull(completed);
        return completed;
    }

    /// <summary>The rule's verdict on a bucket changed, as evaluation publishes it.</summary>
    public static ComplianceChanged Verdict(string rule, string bucket, string type, long version, string? old = null) =>
        new(rule, "AWS::S3::Bucket", bucket, "123456789012", "eu-west-1", old, type, null, Start, version);

    /// <summary>The rule's executions as <c>GET /v1/remediations/{rule}/executions</c> answers them.</summary>
    public async Task<IReadOnlyList<RemediationExecutionStatus>> ExecutionsAsync(string rule, string? apiKey = ServiceHost<ComplianceDbContext>.AdminKey)
    {
        using var client = Host.CreateClient(apiKey);
        var page = await client.GetFromJsonAsync<DescribeRemediationExecutionStatusResponse>(
            $"/v1/remediations/{Uri.EscapeDataString(rule)}/executions", PlatformJson.Options);
        return page?.RemediationExecutionStatuses ?? throw new InvalidOperationException("no executions answered");
    }

    /// <summary>Waits until the resource's execution under the rule satisfies <paramref name="done"/>; returns the last seen.</summary>
    public async Task<RemediationExecutionStatus?> WaitForExecutionAsync(string rule, string resourceId, Func<RemediationExecutionStatus, bool> done) =>
        (await Eventually.ObserveAsync(
            async () => (await ExecutionsAsync(rule)).FirstOrDefault(e => e.ResourceKey.ResourceId == resourceId),
            e => e is not null && done(e)));

    /// <summary>The resource's remediation entries, as the timeline endpoint gets them from the remediation part.</summary>
    public async Task<IReadOnlyList<TimelineEntry>> TimelineAsync(string resourceType, string resourceId)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var source = scope.ServiceProvider.GetServices<ITimelineSource>().OfType<RemediationTimeline>().Single();
        return await source.ReadAsync(resourceType, resourceId, CancellationToken.None);
    }

    /// <summary>A seed-shaped remediation of <paramref name="rule"/> by a function target.</summary>
    public static RemediationSpec FunctionRemediation(string rule, string function, bool automatic = true, int maximumAttempts = 3) =>
        new(rule, RemediationConfiguration.Function, function,
            Parameters: new Dictionary<string, RemediationParameterValue>
            {
                ["BucketName"] = new(ResourceValue: new RemediationResourceValue("RESOURCE_ID")),
                ["Mode"] = new(StaticValue: new RemediationStaticValue(["strict"])),
            },
            ResourceType: "AWS::S3::Bucket", Automatic: automatic, MaximumAutomaticAttempts: maximumAttempts, RetryAttemptSeconds: 60);
}

[CollectionDefinition(Name)]
public sealed class RemediationCollection : ICollectionFixture<RemediationHost>
{
    public const string Name = "remediation";
}
