using System.Diagnostics;
using MassTransit;
using Platform.Compliance.Configuration;
using Platform.ConfigRules;

namespace Platform.Compliance.Evaluation;

/// <summary>What one rule was asked to judge, and what came of it.</summary>
/// <param name="Changes">Verdicts that changed a resource's compliance type.</param>
/// <param name="Error">Why the rule could not judge (it threw, its function failed); null when it did.</param>
public sealed record JudgeResult(int Changes, string? Error);

/// <summary>
/// Runs the live rules: on a recorded configuration change (the rules it triggers, and the periodic rules that read its
/// type as context, so an account-level verdict follows a trail's StopLogging at once), and on a run of one rule over
/// every account (creation, change, request, schedule). A deleted resource is NOT_APPLICABLE to every rule that judged
/// it or that it triggers, whatever the rule would say. Verdicts go to <see cref="ComplianceRecorder"/>.
/// </summary>
public sealed partial class RuleEvaluator(
    LiveConfigRules live,
    IConfigurationItems items,
    ComplianceRecorder recorder,
    EvaluationScopes scopes,
    ComplianceDbContext db,
    ComplianceTelemetry telemetry,
    TimeProvider clock,
    ILogger<RuleEvaluator> logger)
{
    public const string DeletedAnnotation = "The resource was deleted.";

    /// <summary>Judges a recorded change with every rule it concerns; returns how many verdicts changed.</summary>
    public async Task<int> EvaluateChangeAsync(ConfigurationItem item, CancellationToken cancellationToken)
    {
        await scopes.RecordAsync(item, cancellationToken);
        var judged = item.IsDeleted
            ? (await db.Set<EvaluationRecord>().AsNoTracking()
                .Where(e => e.ResourceType == item.ResourceType && e.ResourceId == item.ResourceId)
                .Select(e => e.ConfigRuleName).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal)
            : [];
        var changes = 0;
        foreach (var rule in live.Rules)
        {
            var triggered = rule.IsTriggeredBy(item);
            if (item.IsDeleted && (triggered || judged.Contains(rule.Name)))
            {
                changes += await RecordAsync(rule, item.AwsAccountId, item.AwsRegion, [NotApplicable(item)], cancellationToken);
            }
            else if (triggered)
            {
                var context = await ContextAsync(rule, item.AwsAccountId, cancellationToken);
                changes += (await JudgeAsync(rule, item.AwsAccountId, item.AwsRegion, item, context, cancellationToken)).Changes;
            }
            if (rule.Frequency is not null && rule.ContextResourceTypes.Contains(item.ResourceType))
            {
                var context = await ContextAsync(rule, item.AwsAccountId, cancellationToken);
                changes += (await JudgeAsync(rule, item.AwsAccountId, item.AwsRegion, null, context, cancellationToken)).Changes;
            }
        }
        return changes;
    }

    /// <summary>
    /// Judges every resource of every account that <paramref name="rule"/> applies to (and each account as a whole when
    /// it is periodic), reporting progress as (evaluated, total); the first error is returned, the rest still judged.
    /// </summary>
    public async Task<string?> RunAsync(IConfigRule rule, Func<int, int, Task> progress, CancellationToken cancellationToken)
    {
        var work = new List<(EvaluationScope Scope, IReadOnlyList<ConfigurationItem> Triggered, IReadOnlyList<ConfigurationItem> Context)>();
        foreach (var scope in await scopes.ListAsync(cancellationToken))
        {
            var all = await items.ListAsync(scope.AwsAccountId, scope.ResourceTypes, cancellationToken);
            work.Add((scope, all.Where(rule.IsTriggeredBy).ToList(), all.Where(i => rule.ContextResourceTypes.Contains(i.ResourceType)).ToList()));
        }
        var total = work.Sum(w => w.Triggered.Count + (rule.Frequency is null ? 0 : 1));
        var done = 0;
        string? error = null;
        await progress(done, total);
        foreach (var (scope, triggered, context) in work)
        {
            foreach (var item in triggered)
            {
                if (item.IsDeleted)
                {
                    await RecordAsync(rule, item.AwsAccountId, item.AwsRegion, [NotApplicable(item)], cancellationToken);
                }
                else
                {
                    error ??= (await JudgeAsync(rule, item.AwsAccountId, item.AwsRegion, item, context, cancellationToken)).Error;
                }
                if (++done % 100 == 0)
                {
                    await progress(done, total);
                }
            }
            if (rule.Frequency is not null)
            {
                error ??= (await JudgeAsync(rule, scope.AwsAccountId, scope.AwsRegion, null, context, cancellationToken)).Error;
                done++;
            }
        }
        await progress(done, total);
        return error;
    }

    private async Task<IReadOnlyList<ConfigurationItem>> ContextAsync(IConfigRule rule, string awsAccountId, CancellationToken cancellationToken) =>
        rule.ContextResourceTypes.Count == 0 ? [] : await items.ListAsync(awsAccountId, rule.ContextResourceTypes, cancellationToken);

    private async Task<JudgeResult> JudgeAsync(
        IConfigRule rule, string awsAccountId, string awsRegion, ConfigurationItem? changed, IReadOnlyList<ConfigurationItem> context,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<RuleEvaluation> verdicts;
        try
        {
            verdicts = await rule.EvaluateAsync(new RuleInput(awsAccountId, awsRegion, changed, context, clock.GetUtcNow()), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            telemetry.Evaluated(rule.Name, ComplianceTelemetry.Error);
            LogFailed(ex, rule.Name, changed?.ResourceType ?? ConfigurationItem.AccountResourceType, changed?.ResourceId ?? awsAccountId, ex.Message);
            return new JudgeResult(0, ex.Message);
        }
        finally
        {
            telemetry.Took(rule.Name, Stopwatch.GetElapsedTime(started));
        }
        return new JudgeResult(await RecordAsync(rule, awsAccountId, awsRegion, verdicts, cancellationToken), null);
    }

    private async Task<int> RecordAsync(
        IConfigRule rule, string awsAccountId, string awsRegion, IReadOnlyList<RuleEvaluation> verdicts, CancellationToken cancellationToken)
    {
        var changes = 0;
        foreach (var verdict in verdicts)
        {
            telemetry.Evaluated(rule.Name, verdict.ComplianceType);
            changes += await recorder.RecordAsync(rule.Name, awsAccountId, awsRegion, verdict, cancellationToken) ? 1 : 0;
        }
        return changes;
    }

    private static RuleEvaluation NotApplicable(ConfigurationItem item) =>
        new(item.ResourceType, item.ResourceId, ComplianceTypes.NotApplicable, DeletedAnnotation, item.CaptureTime);

    [LoggerMessage(LogLevel.Warning, "Config rule {Rule} could not judge {ResourceType} {ResourceId}: {Reason}")]
    private partial void LogFailed(Exception exception, string rule, string resourceType, string resourceId, string reason);
}

/// <summary>
/// Judges each recorded configuration change (competing: one instance takes each). A redelivery judges again and
/// changes nothing: the recorder appends only a change of compliance type, at the stream's expected version.
/// </summary>
public sealed class ConfigurationItemRecordedConsumer(RuleEvaluator evaluator) : MassTransit.IConsumer<ConfigurationItemRecorded>
{
    public Task Consume(MassTransit.ConsumeContext<ConfigurationItemRecorded> context) =>
        evaluator.EvaluateChangeAsync(context.Message.Item, context.CancellationToken);
}

/// <summary>
/// Retries what the database causes (a dropped connection, a conflict past the recorder's own retries) rather than
/// leaving the change unjudged in the error queue: judging again records nothing twice.
/// </summary>
public sealed class ConfigurationItemRecordedConsumerDefinition : MassTransit.ConsumerDefinition<ConfigurationItemRecordedConsumer>
{
    protected override void ConfigureConsumer(
        MassTransit.IReceiveEndpointConfigurator endpointConfigurator,
        MassTransit.IConsumerConfigurator<ConfigurationItemRecordedConsumer> consumerConfigurator,
        MassTransit.IRegistrationContext context) =>
        endpointConfigurator.UseWriteConflictRetry();
}
