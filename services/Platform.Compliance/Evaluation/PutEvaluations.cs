using System.Text.Json.Serialization;
using Platform.ConfigRules;

namespace Platform.Compliance.Evaluation;

/// <summary>
/// Verdicts as <c>put_evaluations</c> takes them: what a <c>CUSTOM_LAMBDA</c> function answers or sends back to
/// <c>POST /v1/evaluations</c> with its <c>ResultToken</c>.
/// </summary>
/// <param name="Evaluations">At most <see cref="MaxEvaluations"/> verdicts.</param>
/// <param name="ResultToken">The token the function was invoked with.</param>
/// <param name="TestMode">When true, the verdicts are checked and not recorded, as AWS Config does.</param>
public sealed record PutEvaluationsRequest(
    [property: JsonPropertyName("Evaluations")] IReadOnlyList<PutEvaluation?>? Evaluations,
    [property: JsonPropertyName("ResultToken")] string? ResultToken,
    [property: JsonPropertyName("TestMode")] bool? TestMode = null)
{
    /// <summary>AWS Config takes at most 100 evaluations per call.</summary>
    public const int MaxEvaluations = 100;

    /// <summary>The compliance types a function may report (INSUFFICIENT_DATA is Config's own).</summary>
    public static readonly IReadOnlyList<string> ReportableTypes = [ComplianceTypes.Compliant, ComplianceTypes.NonCompliant, ComplianceTypes.NotApplicable];

    /// <summary>The verdicts, or the errors (each field under <paramref name="prefix"/>) that keep them from being taken.</summary>
    public IReadOnlyList<RuleEvaluation> Read(string prefix, ValidationErrors errors)
    {
        var field = ValidationErrors.Field(prefix, "Evaluations");
        if (Evaluations is null)
        {
            errors.Add(field, "is required: a list of evaluations");
            return [];
        }
        if (Evaluations.Count > MaxEvaluations)
        {
            errors.Add(field, $"has {Evaluations.Count} evaluations: at most {MaxEvaluations}");
            return [];
        }
        var read = new List<RuleEvaluation>(Evaluations.Count);
        for (var i = 0; i < Evaluations.Count; i++)
        {
            var at = $"{field}[{i}]";
            if (Evaluations[i] is not { } evaluation)
            {
                errors.Add(at, "is required");
                continue;
            }
            var before = errors.Count;
            Require(errors, ValidationErrors.Field(at, "ComplianceResourceType"), evaluation.ComplianceResourceType, 256);
            Require(errors, ValidationErrors.Field(at, "ComplianceResourceId"), evaluation.ComplianceResourceId, 768);
            if (!ReportableTypes.Contains(evaluation.ComplianceType ?? "", StringComparer.Ordinal))
            {
                errors.Add(ValidationErrors.Field(at, "ComplianceType"), $"must be one of {string.Join(", ", ReportableTypes)}");
            }
            errors.AddIfLonger(ValidationErrors.Field(at, "Annotation"), evaluation.Annotation, 256);
            if (evaluation.OrderingTimestamp is null)
            {
                errors.Add(ValidationErrors.Field(at, "OrderingTimestamp"), "is required: the time of the configuration judged");
            }
            if (errors.Count == before)
            {
                read.Add(new RuleEvaluation(evaluation.ComplianceResourceType!, evaluation.ComplianceResourceId!, evaluation.ComplianceType!,
                    evaluation.Annotation, evaluation.OrderingTimestamp!.Value));
            }
        }
        return read;
    }

    private static void Require(ValidationErrors errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "is required");
        }
        else if (value.Length > maxLength || value.Any(char.IsControl))
        {
            errors.Add(field, $"must be 1 to {maxLength} characters, none a control character");
        }
    }
}

/// <summary>One verdict as <c>put_evaluations</c> takes it.</summary>
public sealed record PutEvaluation(
    [property: JsonPropertyName("ComplianceResourceType")] string? ComplianceResourceType,
    [property: JsonPropertyName("ComplianceResourceId")] string? ComplianceResourceId,
    [property: JsonPropertyName("ComplianceType")] string? ComplianceType,
    [property: JsonPropertyName("Annotation")] string? Annotation,
    [property: JsonPropertyName("OrderingTimestamp")] DateTimeOffset? OrderingTimestamp);
