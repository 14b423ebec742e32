namespace Platform.Sigma;

/// <summary>Why a rule could not be loaded: where (source, line, column), which rule, and the reason.</summary>
public sealed record SigmaRuleError(string? Source, string? RuleTitle, string? RuleId, int Line, int Column, string Reason)
{
    /// <summary>"line 3, rule 'x': reason": the error as told to whoever sent the rule (who knows its source).</summary>
    public string Describe() => $"line {Line}" + ((RuleTitle ?? RuleId) is { } rule ? $", rule '{rule}'" : "") + $": {Reason}";

    public override string ToString()
    {
        var where = Source is null ? $"line {Line}" : $"{Source}:{Line}";
        var rule = RuleTitle ?? RuleId;
        return rule is null ? $"{where}: {Reason}" : $"{where}: rule '{rule}': {Reason}";
    }
}

/// <summary>Thrown when one or more rules are invalid or use a feature the engine does not support.</summary>
public sealed class SigmaRuleException : Exception
{
    public SigmaRuleException(IReadOnlyList<SigmaRuleError> errors)
        : base(errors.Count == 1 ? errors[0].ToString() : $"{errors.Count} Sigma rule errors: " + string.Join("; ", errors))
    {
        Errors = errors;
    }

    public SigmaRuleException(SigmaRuleError error) : this([error])
    {
    }

    public IReadOnlyList<SigmaRuleError> Errors { get; }
}
