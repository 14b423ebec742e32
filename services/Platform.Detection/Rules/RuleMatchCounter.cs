namespace Platform.Detection.Rules;

/// <summary>
/// Matches per rule and hour in <c>rule_match_counts</c>, written in the batch's transaction (so a redelivered
/// batch does not count twice) and summed over the last 24 hours for <c>GET /v1/rules</c>.
/// </summary>
public sealed class RuleMatchCounter(DetectionDbContext db)
{
    public async Task AddAsync(IReadOnlyDictionary<string, long> matchesByRule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (matchesByRule.Count == 0)
        {
            return;
        }

        var hour = new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero);
        // Sorted: two instances upserting the same rows take their locks in the same order. One statement for
        // every rule of the batch: a single round trip.
        var ordered = matchesByRule.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        string[] ruleKeys = [.. ordered.Select(p => p.Key)];
        long[] matches = [.. ordered.Select(p => p.Value)];
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO rule_match_counts (rule_key, hour, matches)
            SELECT rule_key, {hour}, matches FROM unnest({ruleKeys}::text[], {matches}::bigint[]) WITH ORDINALITY AS m(rule_key, matches, ord)
            ORDER BY ord
            ON CONFLICT (rule_key, hour) DO UPDATE SET matches = rule_match_counts.matches + EXCLUDED.matches
            """,
            cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, long>> Last24HoursAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now - TimeSpan.FromHours(24);
        var rows = await db.Database
            .SqlQuery<RuleMatches>($"SELECT rule_key, sum(matches)::bigint AS matches FROM rule_match_counts WHERE hour > {since} GROUP BY rule_key")
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.RuleKey, r => r.Matches, StringComparer.Ordinal);
    }

    private sealed class RuleMatches
    {
        public required string RuleKey { get; init; }
        public long Matches { get; init; }
    }
}
