using System.Collections.Concurrent;

namespace Platform.Compliance.Evaluation;

/// <summary>An account configuration items were recorded for: its region and the resource types seen in it.</summary>
/// <param name="AwsAccountId">The account.</param>
/// <param name="AwsRegion">A region of its regional resources (<c>global</c> when it has only global ones): where its account-level verdicts are recorded.</param>
/// <param name="ResourceTypes">The types of its items.</param>
public sealed record EvaluationScope(string AwsAccountId, string AwsRegion, IReadOnlyList<string> ResourceTypes);

/// <summary>
/// The accounts and resource types that configuration items were recorded for: a run (re-evaluation, schedule) judges
/// every account it has seen, listing its items of these types through <see cref="Configuration.IConfigurationItems"/>.
/// Each pair is written once per instance.
/// </summary>
public sealed class EvaluationScopes(IServiceScopeFactory scopes)
{
    public const string GlobalRegion = "global";

    private readonly ConcurrentDictionary<(string Account, string Type), bool> _seen = new();

    public async Task RecordAsync(ConfigurationItem item, CancellationToken cancellationToken)
    {
        var regional = item.AwsRegion != GlobalRegion;
        if (_seen.TryGetValue((item.AwsAccountId, item.ResourceType), out var wasRegional) && (wasRegional || !regional))
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ComplianceDbContext>();
        // A regional region wins over 'global', so an account's verdicts land where its resources are.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO evaluation_scopes (aws_account_id, resource_type, aws_region) VALUES ({item.AwsAccountId}, {item.ResourceType}, {item.AwsRegion})
            ON CONFLICT (aws_account_id, resource_type) DO UPDATE SET aws_region = excluded.aws_region
            WHERE evaluation_scopes.aws_region = {GlobalRegion} AND excluded.aws_region <> {GlobalRegion}
            """, cancellationToken);
        _seen[(item.AwsAccountId, item.ResourceType)] = regional;
    }

    public async Task<IReadOnlyList<EvaluationScope>> ListAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ComplianceDbContext>();
        var rows = await db.Database.SqlQuery<ScopeRow>($"""SELECT aws_account_id, resource_type, aws_region FROM evaluation_scopes""")
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.AwsAccountId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new EvaluationScope(
                g.Key,
                g.Select(r => r.AwsRegion).Where(r => r != GlobalRegion).Order(StringComparer.Ordinal).FirstOrDefault() ?? GlobalRegion,
                g.Select(r => r.ResourceType).Order(StringComparer.Ordinal).ToList()))
            .ToList();
    }

    private sealed class ScopeRow
    {
        public required string AwsAccountId { get; init; }
        public required string ResourceType { get; init; }
        public required string AwsRegion { get; init; }
    }
}
