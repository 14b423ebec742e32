using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Platform.Detection.Suppression;

/// <summary>
/// The provisioned suppression rules (like GuardDuty's): a finding matching every criterion of a rule is
/// suppressed as it is raised or reopened. Swapped atomically on every change.
/// </summary>
public sealed class SuppressionRules(TimeProvider clock)
{
    private ImmutableSortedDictionary<string, SuppressionRule> _rules = ImmutableSortedDictionary<string, SuppressionRule>.Empty.WithComparers(StringComparer.Ordinal);

    public IReadOnlyCollection<SuppressionRule> All => Volatile.Read(ref _rules).Values.ToList();

    public void Upsert(string name, SuppressionRuleSpec spec) =>
        ImmutableInterlocked.Update(ref _rules, rules => rules.SetItem(name, SuppressionRule.From(name, spec)));

    public void Remove(string name) => ImmutableInterlocked.Update(ref _rules, rules => rules.Remove(name));

    /// <summary>The first rule (by name) in force now that matches the finding.</summary>
    public SuppressionRule? Match(SuppressionCandidate finding)
    {
        var now = clock.GetUtcNow();
        foreach (var rule in Volatile.Read(ref _rules).Values)
        {
            if ((rule.ExpiresAt is null || rule.ExpiresAt > now) && rule.Matches(finding))
            {
                return rule;
            }
        }

        return null;
    }
}

/// <summary>The finding fields suppression criteria look at.</summary>
public sealed record SuppressionCandidate(
    string RuleId,
    string Severity,
    string? Principal,
    string? Account,
    string? Region,
    IReadOnlyCollection<string> SourceIps,
    IReadOnlyCollection<string> Resources);

/// <summary>One suppression rule: every criterion (field → accepted values, <c>*</c> wildcards) must hold.</summary>
public sealed class SuppressionRule
{
    private static readonly HashSet<string> s_fields = new(StringComparer.OrdinalIgnoreCase)
    {
        "ruleId", "severity", "principal", "account", "region", "sourceIp", "resource",
    };

    private readonly IReadOnlyList<(string Field, Regex[] Patterns)> _criteria;

    private SuppressionRule(string name, string reason, DateTimeOffset? expiresAt, IReadOnlyList<(string, Regex[])> criteria)
    {
        Name = name;
        Reason = reason;
        ExpiresAt = expiresAt;
        _criteria = criteria;
    }

    public string Name { get; }

    public string Reason { get; }

    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>Who the suppression is attributed to in a finding's history.</summary>
    public string Actor => ActorOf(Name);

    public static string ActorOf(string name) => "suppression-rule:" + name;

    /// <exception cref="ArgumentException">A criterion names an unknown field (provisioning validates this first).</exception>
    public static SuppressionRule From(string name, SuppressionRuleSpec spec)
    {
        var criteria = new List<(string, Regex[])>();
        foreach (var (field, values) in spec.Criteria)
        {
            if (!s_fields.Contains(field))
            {
                throw new ArgumentException($"Suppression rule '{name}': unknown criterion field '{field}'.", nameof(spec));
            }

            criteria.Add((field, [.. values.Select(Wildcard)]));
        }

        return new SuppressionRule(name, spec.Reason, spec.ExpiresAt, criteria);
    }

    public bool Matches(SuppressionCandidate finding)
    {
        foreach (var (field, patterns) in _criteria)
        {
            IEnumerable<string?> values = field.ToLowerInvariant() switch
            {
                "ruleid" => new string?[] { finding.RuleId },
                "severity" => new string?[] { finding.Severity },
                "principal" => new string?[] { finding.Principal },
                "account" => new string?[] { finding.Account },
                "region" => new string?[] { finding.Region },
                "sourceip" => (IEnumerable<string?>)finding.SourceIps,
                _ => finding.Resources,
            };
            if (!values.Any(v => v is not null && patterns.Any(p => p.IsMatch(v))))
            {
                return false;
            }
        }

        return true;
    }

    private static Regex Wildcard(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromMilliseconds(50));
}
