using System.Security.Cryptography;

namespace Platform.SqlQueries;

/// <summary>A provisioned event data store: its name and its normalised spec.</summary>
public sealed record EventDataStore(string Name, EventDataStoreSpec Spec)
{
    /// <summary>Its id, as AWS gives one: stable for its name, so queries written with it keep working.</summary>
    public string Id { get; } = EventDataStores.IdOf(Name);
}

/// <summary>
/// Event data stores as <c>create_event_data_store</c> takes them: the one validation provisioning runs at the door and
/// ingestion trusts, and which of the raw log store's events a store holds.
/// </summary>
public static partial class EventDataStores
{
    public const int DefaultRetentionPeriod = 2557;
    public const int MinRetentionPeriod = 7;
    public const int MaxRetentionPeriod = 3653;

    /// <summary>The fields an advanced field selector may name, and the SQL each reads from the record (<c>e.d</c>) in a dialect.</summary>
    internal static readonly IReadOnlyDictionary<string, Func<SqlDialect, string>> SelectorFields = new Dictionary<string, Func<SqlDialect, string>>(StringComparer.Ordinal)
    {
        ["eventCategory"] = d => $"coalesce({d.Text(["eventCategory"])}, CASE WHEN {d.Text(["managementEvent"])} = 'false' THEN 'Data' ELSE 'Management' END)",
        ["eventSource"] = d => d.Text(["eventSource"]),
        ["eventName"] = d => d.Text(["eventName"]),
        ["eventType"] = d => d.Text(["eventType"]),
        ["readOnly"] = d => $"lower({d.Text(["readOnly"])})",
        ["errorCode"] = d => d.Text(["errorCode"]),
        ["userIdentity.arn"] = d => d.Text(["userIdentity", "arn"]),
        ["sessionCredentialFromConsole"] = d => $"lower({d.Text(["sessionCredentialFromConsole"])})",
    };

    /// <summary>What a store without selectors holds, as in AWS: every management event.</summary>
    public static readonly IReadOnlyList<AdvancedEventSelector> ManagementEvents =
        [new AdvancedEventSelector("Management events", [new AdvancedFieldSelector("eventCategory", EqualTo: ["Management"])])];

    public static string IdOf(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("eventdatastore/" + name), hash);
        return new Guid(hash[..16]).ToString("D");
    }

    /// <summary>Store names: 3 to 128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit (AWS's rule).</summary>
    public static string? ValidateName(string name) =>
        StoreName().IsMatch(name) ? null : "must be 3 to 128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit";

    /// <summary>Checks a spec, each problem reported with the field it is in; returns it with AWS's defaults filled in.</summary>
    public static EventDataStoreSpec Normalize(EventDataStoreSpec spec, Action<string, string> report)
    {
        if (spec.Name is { } name && ValidateName(name) is { } invalid)
        {
            report("Name", invalid);
        }
        if (spec.RetentionPeriod is { } days && days is < MinRetentionPeriod or > MaxRetentionPeriod)
        {
            report("RetentionPeriod", $"must be {MinRetentionPeriod} to {MaxRetentionPeriod} days");
        }
        var selectors = spec.AdvancedEventSelectors;
        if (selectors is { Count: 0 } || selectors?.Count > 5)
        {
            report("AdvancedEventSelectors", "give 1 to 5 selectors, or leave it out for every management event");
        }
        for (var i = 0; i < (selectors?.Count ?? 0); i++)
        {
            CheckSelector(selectors![i], $"AdvancedEventSelectors[{i}]", report);
        }
        return spec with
        {
            RetentionPeriod = spec.RetentionPeriod ?? DefaultRetentionPeriod,
            TerminationProtectionEnabled = spec.TerminationProtectionEnabled ?? true,
            MultiRegionEnabled = spec.MultiRegionEnabled ?? true,
            OrganizationEnabled = spec.OrganizationEnabled ?? false,
            AdvancedEventSelectors = selectors is { Count: > 0 } ? selectors : ManagementEvents,
        };
    }

    private static void CheckSelector(AdvancedEventSelector? selector, string field, Action<string, string> report)
    {
        if (selector?.FieldSelectors is not { Count: > 0 } fields)
        {
            report($"{field}.FieldSelectors", "is required: at least one field selector");
            return;
        }
        for (var i = 0; i < fields.Count; i++)
        {
            var at = $"{field}.FieldSelectors[{i}]";
            var selected = fields[i];
            if (selected?.Field is not { } name || !SelectorFields.ContainsKey(name))
            {
                report($"{at}.Field", $"must be one of {string.Join(", ", SelectorFields.Keys)}");
                continue;
            }
            var operators = Operators(selected).ToList();
            if (operators.Count == 0)
            {
                report(at, $"give at least one of {string.Join(", ", SelectorOperators.Select(o => o.Name))}");
            }
            foreach (var (op, values, _, _) in operators)
            {
                if (values.Count == 0 || values.Any(v => string.IsNullOrEmpty(v) || v.Length > 2048))
                {
                    report($"{at}.{op}", "give 1 or more values of 1 to 2048 characters");
                }
                if (name is "eventCategory" or "readOnly" && op is not ("Equals" or "NotEquals"))
                {
                    report($"{at}.{op}", $"{name} takes Equals or NotEquals only");
                }
            }
            var allowed = name switch
            {
                "eventCategory" => new[] { "Management", "Data" },
                "readOnly" or "sessionCredentialFromConsole" => ["true", "false"],
                _ => null,
            };
            if (allowed is not null && operators.SelectMany(o => o.Values).FirstOrDefault(v => !allowed.Contains(v)) is { } wrong)
            {
                report($"{at}.Equals", $"'{wrong}' is not a value of {name}: use {string.Join(" or ", allowed)}");
            }
        }
    }

    /// <summary>A field selector's operators: their AWS names, where their values are, whether negated, and the comparison.</summary>
    private static readonly (string Name, Func<AdvancedFieldSelector, IReadOnlyList<string>?> Values, bool Negated, Func<string, string> Pattern)[] SelectorOperators =
    [
        ("Equals", s => s.EqualTo, false, v => v),
        ("StartsWith", s => s.StartsWith, false, v => EscapeLike(v) + "%"),
        ("EndsWith", s => s.EndsWith, false, v => "%" + EscapeLike(v)),
        ("NotEquals", s => s.NotEqualTo, true, v => v),
        ("NotStartsWith", s => s.NotStartsWith, true, v => EscapeLike(v) + "%"),
        ("NotEndsWith", s => s.NotEndsWith, true, v => "%" + EscapeLike(v)),
    ];

    /// <summary>The operators a field selector gives: their AWS names, values, whether negated, and the comparison.</summary>
    private static IEnumerable<(string Name, IReadOnlyList<string> Values, bool Negated, Func<string, string> Pattern)> Operators(AdvancedFieldSelector selector) =>
        from op in SelectorOperators
        let values = op.Values(selector)
        where values is not null
        select (op.Name, values, op.Negated, op.Pattern);

    /// <summary>
    /// The condition on <c>e.d</c> (the record as JSON) that a store's selectors make: alternatives of conjunctions,
    /// every value a parameter.
    /// </summary>
    internal static string Condition(IReadOnlyList<AdvancedEventSelector> selectors, SqlDialect dialect, SqlParameters parameters)
    {
        var alternatives = selectors.Select(selector => string.Join(" AND ", selector.FieldSelectors!.SelectMany(field =>
        {
            var value = $"coalesce({SelectorFields[field.Field!](dialect)}, '')";
            return Operators(field).Select(op =>
            {
                var test = op.Name is "Equals" or "NotEquals"
                    ? dialect.EqualsAny(value, [.. op.Values], parameters)
                    : dialect.LikeAny(value, [.. op.Values.Select(op.Pattern)], parameters);
                return op.Negated ? $"NOT ({test})" : $"({test})";
            });
        })));
        return "(" + string.Join(" OR ", alternatives.Select(a => $"({a})")) + ")";
    }

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$", RegexOptions.NonBacktracking)]
    private static partial Regex StoreName();
}
