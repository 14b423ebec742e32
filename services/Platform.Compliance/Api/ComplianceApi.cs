using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Compliance.Configuration;
using Platform.Compliance.Evaluation;
using Platform.Compliance.Timeline;
using Platform.ConfigRules;

namespace Platform.Compliance.Api;

/// <summary>
/// <c>/v1/compliance</c>: what the rules say, as AWS Config's GetComplianceSummaryByConfigRule,
/// DescribeComplianceByConfigRule, GetComplianceDetailsByConfigRule and GetComplianceDetailsByResource tell it, and a
/// resource's timeline. Rules are defined through the provisioning API (kind <c>config-rules</c>).
/// </summary>
public static class ComplianceApi
{
    public static RouteGroupBuilder MapComplianceApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/compliance").WithTags("Compliance").RequireAuthorization(PlatformPolicies.Read);
        group.MapGet("/summary", SummaryAsync)
            .WithOperation("GetComplianceSummary", "Per rule and per account: compliant and non-compliant counts (GetComplianceSummaryByConfigRule, DescribeComplianceByConfigRule)",
                "Counts are of resources; a rule is NON_COMPLIANT when any resource is, an account's resource when any rule says so.");
        group.MapGet("/rules/{name}", RuleAsync)
            .WithOperation("GetComplianceDetailsByConfigRule", "A rule's verdicts on resources, by compliance type (GetComplianceDetailsByConfigRule)",
                $"complianceTypes: comma-separated, of {string.Join(", ", AllTypes)}; limit (1 to {QueryParameters.MaxLimit}); " +
                "page with cursor (the previous page's nextCursor). A name holding '/' travels as %2F.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/resources/{resourceType}/{resourceId}", ResourceAsync)
            .WithOperation("GetComplianceDetailsByResource", "A resource's current verdict per rule (annotation, time) and its current configuration item",
                "A resource id holding '/' (an ARN) travels with '/' as %2F.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/resources/{resourceType}/{resourceId}/timeline", TimelineAsync)
            .WithOperation("GetResourceTimeline", "Everything that happened to a resource, in time order: configuration changes, evaluations, remediations",
                "A resource id holding '/' travels with '/' as %2F.")
            .ProducesValidationProblem();
        return group;
    }

    private static readonly string[] AllTypes =
        [ComplianceTypes.Compliant, ComplianceTypes.NonCompliant, ComplianceTypes.NotApplicable, ComplianceTypes.InsufficientData];

    public static async Task<Ok<ComplianceSummary>> SummaryAsync(ComplianceDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var rules = await db.Set<ConfigRuleRecord>().AsNoTracking().Where(r => !r.Deleted).Select(r => r.Name).OrderBy(n => n).ToListAsync(cancellationToken);
        var byRule = await db.Database.SqlQuery<CountRow>($"""
            SELECT e.config_rule_name AS key, e.aws_account_id AS account, e.compliance_type, count(*)::int AS count
            FROM compliance_evaluations e JOIN config_rules r ON r.name = e.config_rule_name AND NOT r.deleted
            GROUP BY 1, 2, 3
            """).ToListAsync(cancellationToken);
        // A resource counts once per account: non-compliant when any rule says so, compliant when any does and none says otherwise.
        var byResource = await db.Database.SqlQuery<CountRow>($"""
            SELECT aws_account_id AS key, aws_account_id AS account, compliance_type, count(*)::int AS count
            FROM (SELECT e.aws_account_id,
                         CASE WHEN bool_or(e.compliance_type = 'NON_COMPLIANT') THEN 'NON_COMPLIANT'
                              WHEN bool_or(e.compliance_type = 'COMPLIANT') THEN 'COMPLIANT'
                              WHEN bool_or(e.compliance_type = 'INSUFFICIENT_DATA') THEN 'INSUFFICIENT_DATA'
                              ELSE 'NOT_APPLICABLE' END AS compliance_type
                  FROM compliance_evaluations e JOIN config_rules r ON r.name = e.config_rule_name AND NOT r.deleted
                  GROUP BY e.aws_account_id, e.resource_type, e.resource_id) resources
            GROUP BY 1, 2, 3
            """).ToListAsync(cancellationToken);

        var ruleSummaries = rules.Select(rule =>
        {
            var counts = Counts(byRule.Where(r => r.Key == rule));
            return new RuleComplianceSummary(rule, counts.ComplianceType, counts);
        }).ToList();
        var accounts = byResource.Select(r => r.Account).Concat(byRule.Select(r => r.Account)).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(account =>
            {
                var ruleTypes = byRule.Where(r => r.Account == account).GroupBy(r => r.Key).Select(g => Counts(g).ComplianceType).ToList();
                return new AccountComplianceSummary(account, Counts(byResource.Where(r => r.Account == account)),
                    ruleTypes.Count(t => t == ComplianceTypes.Compliant), ruleTypes.Count(t => t == ComplianceTypes.NonCompliant));
            })
            .ToList();
        return TypedResults.Ok(new ComplianceSummary(
            ruleSummaries.Count(r => r.ComplianceType == ComplianceTypes.Compliant),
            ruleSummaries.Count(r => r.ComplianceType == ComplianceTypes.NonCompliant),
            clock.GetUtcNow(), ruleSummaries, accounts));
    }

    public static async Task<Results<Ok<RuleCompliance>, ValidationProblem, ProblemHttpResult>> RuleAsync(
        string name,
        ComplianceDbContext db,
        [FromQuery] string? complianceTypes,
        [FromQuery] string? limit,
        [FromQuery] string? cursor,
        CancellationToken cancellationToken)
    {
        if (ReadPath("name", name, out var ruleName) is { } invalid)
        {
            return invalid;
        }
        if (QueryParameters.TryPageWindow(null, null, limit, out _, out _, out var take) is { } badLimit)
        {
            return badLimit;
        }
        string[] types = AllTypes;
        if (complianceTypes is { Length: > 0 })
        {
            types = complianceTypes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (types.FirstOrDefault(t => !AllTypes.Contains(t, StringComparer.Ordinal)) is { } unknown)
            {
                return ProblemDetailsExtensions.FieldProblem(nameof(complianceTypes),
                    $"'{QueryParameters.Shorten(unknown)}' is not a compliance type: use {string.Join(", ", AllTypes)}");
            }
        }
        if (!await db.Set<ConfigRuleRecord>().AnyAsync(r => r.Name == ruleName && !r.Deleted, cancellationToken))
        {
            return ProblemDetailsExtensions.NoSuch("config rule", $"There is no config rule named '{ruleName}'.");
        }

        var query = db.Set<EvaluationRecord>().AsNoTracking().Where(e => e.ConfigRuleName == ruleName && types.Contains(e.ComplianceType));
        if (cursor is not null)
        {
            if (!PageCursor.TryDecode(cursor, out DateTimeOffset _, out string after)
                || JsonSerializer.Deserialize<string[]>(after) is not [var afterType, var afterId])
            {
                return PageCursor.Invalid();
            }
            query = query.Where(e => string.Compare(e.ResourceType, afterType) > 0
                                     || (e.ResourceType == afterType && string.Compare(e.ResourceId, afterId) > 0));
        }
        var rows = await query.OrderBy(e => e.ResourceType).ThenBy(e => e.ResourceId).Take(take + 1).ToListAsync(cancellationToken);
        var page = Page.Of(rows, take, EvaluationView.From,
            e => PageCursor.Encode(DateTimeOffset.UnixEpoch, JsonSerializer.Serialize(new[] { e.ResourceType, e.ResourceId })));
        var counts = Counts(await db.Set<EvaluationRecord>().AsNoTracking().Where(e => e.ConfigRuleName == ruleName)
            .GroupBy(e => e.ComplianceType).Select(g => new CountRow { Key = ruleName, Account = "", ComplianceType = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken));
        return TypedResults.Ok(new RuleCompliance(ruleName, counts.ComplianceType, counts, page.Items, page.NextCursor));
    }

    public static async Task<Results<Ok<ResourceCompliance>, ValidationProblem, ProblemHttpResult>> ResourceAsync(
        string resourceType, string resourceId, ComplianceDbContext db, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (ReadResource(resourceType, resourceId, out var type, out var id) is { } invalid)
        {
            return invalid;
        }
        var rows = await db.Set<EvaluationRecord>().AsNoTracking()
            .Where(e => e.ResourceType == type && e.ResourceId == id)
            .Join(db.Set<ConfigRuleRecord>().Where(r => !r.Deleted), e => e.ConfigRuleName, r => r.Name, (e, _) => e)
            .OrderBy(e => e.ConfigRuleName)
            .ToListAsync(cancellationToken);
        // The configuration part registers the items; until a deployment has it, a resource shows its verdicts alone.
        var item = services.GetService<IConfigurationItems>() is { } configuration ? await configuration.FindAsync(type, id, cancellationToken) : null;
        if (item is null && rows.Count == 0)
        {
            return ProblemDetailsExtensions.NoSuch("resource", $"No configuration item of {type} '{id}' was recorded and no rule judged it.");
        }
        var counts = Counts(rows.GroupBy(r => r.ComplianceType).Select(g => new CountRow { Key = id, Account = "", ComplianceType = g.Key, Count = g.Count() }));
        return TypedResults.Ok(new ResourceCompliance(type, id, counts.ComplianceType, rows.ConvertAll(EvaluationView.From), item));
    }

    public static async Task<Results<Ok<IReadOnlyList<TimelineEntry>>, ValidationProblem>> TimelineAsync(
        string resourceType, string resourceId, [FromServices] IEnumerable<ITimelineSource> sources, CancellationToken cancellationToken)
    {
        if (ReadResource(resourceType, resourceId, out var type, out var id) is { } invalid)
        {
            return invalid;
        }
        var entries = new List<TimelineEntry>();
        foreach (var source in sources)
        {
            entries.AddRange(await source.ReadAsync(type, id, cancellationToken));
        }
        IReadOnlyList<TimelineEntry> ordered = entries
            .OrderBy(e => e.At).ThenBy(e => e.Stream, StringComparer.Ordinal).ThenBy(e => e.Version).ToList();
        return TypedResults.Ok(ordered);
    }

    /// <summary>
    /// A path segment unescaped (a '/' travels as %2F), or a 400 naming it when nothing can be named so (empty, or a
    /// control character, NUL included, which would otherwise reach the database).
    /// </summary>
    public static ValidationProblem? ReadPath(string field, string segment, out string value)
    {
        value = Uri.UnescapeDataString(segment);
        return value.Length is 0 or > 1024 || value.Any(char.IsControl)
            ? ProblemDetailsExtensions.FieldProblem(field, "must be 1 to 1024 characters, none a control character")
            : null;
    }

    /// <summary>A resource's type and id from the path.</summary>
    private static ValidationProblem? ReadResource(string typeSegment, string idSegment, out string resourceType, out string resourceId)
    {
        var invalidType = ReadPath(nameof(resourceType), typeSegment, out resourceType);
        var invalidId = ReadPath(nameof(resourceId), idSegment, out resourceId);
        return invalidType ?? invalidId;
    }

    /// <summary>The counts of each compliance type, and what they make together (as AWS Config rolls a rule or resource up).</summary>
    private static ComplianceCounts Counts(IEnumerable<CountRow> rows)
    {
        var by = rows.GroupBy(r => r.ComplianceType).ToDictionary(g => g.Key, g => g.Sum(r => r.Count), StringComparer.Ordinal);
        int Of(string type) => by.GetValueOrDefault(type);
        var overall = Of(ComplianceTypes.NonCompliant) > 0 ? ComplianceTypes.NonCompliant
            : Of(ComplianceTypes.Compliant) > 0 ? ComplianceTypes.Compliant
            : Of(ComplianceTypes.NotApplicable) > 0 && Of(ComplianceTypes.InsufficientData) == 0 ? ComplianceTypes.NotApplicable
            : ComplianceTypes.InsufficientData;
        return new ComplianceCounts(overall, Of(ComplianceTypes.Compliant), Of(ComplianceTypes.NonCompliant),
            Of(ComplianceTypes.NotApplicable), Of(ComplianceTypes.InsufficientData));
    }

    /// <summary>One count of a grouping query.</summary>
    public sealed class CountRow
    {
        public required string Key { get; init; }
        public required string Account { get; init; }
        public required string ComplianceType { get; init; }
        public int Count { get; init; }
    }
}

/// <summary>Resources by compliance type, and the type they make together.</summary>
/// <param name="ComplianceType">NON_COMPLIANT when any is, else COMPLIANT when any is, else NOT_APPLICABLE when all are, else INSUFFICIENT_DATA.</param>
/// <param name="CompliantResourceCount">Resources judged COMPLIANT.</param>
/// <param name="NonCompliantResourceCount">Resources judged NON_COMPLIANT.</param>
/// <param name="NotApplicableResourceCount">Resources judged NOT_APPLICABLE (deleted ones among them).</param>
/// <param name="InsufficientDataResourceCount">Resources judged INSUFFICIENT_DATA.</param>
public sealed record ComplianceCounts(
    string ComplianceType, int CompliantResourceCount, int NonCompliantResourceCount, int NotApplicableResourceCount, int InsufficientDataResourceCount);

/// <summary>One rule's compliance (DescribeComplianceByConfigRule).</summary>
public sealed record RuleComplianceSummary(string ConfigRuleName, string ComplianceType, ComplianceCounts Counts);

/// <summary>One account's compliance: its resources (each once, across rules) and its rules.</summary>
public sealed record AccountComplianceSummary(string AwsAccountId, ComplianceCounts Resources, int CompliantRuleCount, int NonCompliantRuleCount);

/// <summary>The whole picture (GetComplianceSummaryByConfigRule, with each rule and each account).</summary>
public sealed record ComplianceSummary(
    int CompliantRuleCount, int NonCompliantRuleCount, DateTimeOffset ComplianceSummaryTimestamp,
    IReadOnlyList<RuleComplianceSummary> ConfigRules, IReadOnlyList<AccountComplianceSummary> Accounts);

/// <summary>A rule's verdicts, one page of them.</summary>
public sealed record RuleCompliance(
    string ConfigRuleName, string ComplianceType, ComplianceCounts Counts, IReadOnlyList<EvaluationView> EvaluationResults, string? NextCursor);

/// <summary>A resource's verdicts per rule and its current configuration (null when no item was recorded).</summary>
public sealed record ResourceCompliance(
    string ResourceType, string ResourceId, string ComplianceType, IReadOnlyList<EvaluationView> Evaluations, ConfigurationItem? ConfigurationItem);

/// <summary>One rule's current verdict on one resource (an EvaluationResult).</summary>
/// <param name="ConfigRuleName">The rule.</param>
/// <param name="ResourceType">The resource's type.</param>
/// <param name="ResourceId">The resource's id.</param>
/// <param name="AwsAccountId">Its account.</param>
/// <param name="AwsRegion">Its region.</param>
/// <param name="ComplianceType">The verdict.</param>
/// <param name="Annotation">Why, in the rule's words.</param>
/// <param name="OrderingTimestamp">The time of the configuration (or schedule) judged.</param>
/// <param name="ResultRecordedTime">When it was last recorded (the same verdict again refreshes it).</param>
/// <param name="Version">The version of the (rule, resource) evaluation stream.</param>
public sealed record EvaluationView(
    string ConfigRuleName, string ResourceType, string ResourceId, string AwsAccountId, string AwsRegion, string ComplianceType,
    string? Annotation, DateTimeOffset OrderingTimestamp, DateTimeOffset ResultRecordedTime, long Version)
{
    public static EvaluationView From(EvaluationRecord row) => new(
        row.ConfigRuleName, row.ResourceType, row.ResourceId, row.AwsAccountId, row.AwsRegion, row.ComplianceType, row.Annotation,
        row.OrderingTimestamp, row.RecordedAt, row.Version);
}
