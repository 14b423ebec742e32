namespace Platform.Detection.Rules;

/// <summary>Reads what a rule's metadata means for findings: severity from <c>level</c>, ATT&amp;CK from <c>tags</c>.</summary>
public static class RuleTags
{
    private const string AttackPrefix = "attack.";

    /// <summary>Sigma levels; a rule without a (known) level counts as medium.</summary>
    public static FindingSeverity SeverityOf(string? level) => level?.ToLowerInvariant() switch
    {
        "informational" => FindingSeverity.Informational,
        "low" => FindingSeverity.Low,
        "high" => FindingSeverity.High,
        "critical" => FindingSeverity.Critical,
        _ => FindingSeverity.Medium,
    };

    /// <summary><c>attack.t1098</c> → <c>T1098</c>; <c>attack.t1098.001</c> → <c>T1098.001</c>.</summary>
    public static IReadOnlyList<string> TechniquesOf(IEnumerable<string> tags) =>
        [.. tags.Select(AttackName).OfType<string>().Where(IsTechnique).Select(t => t.ToUpperInvariant()).Distinct(StringComparer.Ordinal)];

    /// <summary><c>attack.privilege_escalation</c> or <c>attack.privilege-escalation</c> → <c>privilege-escalation</c>.</summary>
    public static IReadOnlyList<string> TacticsOf(IEnumerable<string> tags) =>
        [.. tags.Select(AttackName).OfType<string>()
            .Where(name => !IsTechnique(name) && !IsSoftwareOrGroup(name))
            .Select(name => name.Replace('_', '-').ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)];

    private static string? AttackName(string tag) =>
        tag.StartsWith(AttackPrefix, StringComparison.OrdinalIgnoreCase) && tag.Length > AttackPrefix.Length ? tag[AttackPrefix.Length..] : null;

    private static bool IsTechnique(string name) => IsIdWithPrefix(name, 't');

    /// <summary><c>attack.g0016</c> (groups) and <c>attack.s0154</c> (software) are neither techniques nor tactics.</summary>
    private static bool IsSoftwareOrGroup(string name) => IsIdWithPrefix(name, 'g') || IsIdWithPrefix(name, 's');

    private static bool IsIdWithPrefix(string name, char prefix) =>
        name.Length >= 5 && char.ToLowerInvariant(name[0]) == prefix && char.IsAsciiDigit(name[1]) && char.IsAsciiDigit(name[4]);
}
