using System.ComponentModel.DataAnnotations;

namespace Platform.Compliance.Evaluation;

/// <summary>Settings of rule evaluation, bound from <c>Platform:Compliance:Evaluation</c>.</summary>
public sealed class EvaluationOptions
{
    public const string Section = "Platform:Compliance:Evaluation";

    /// <summary>How often the run pass looks for due runs (scheduled ones, or ones asked of another instance) when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RunPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a CUSTOM_LAMBDA function's ResultToken is taken by PutEvaluations (<c>POST /v1/evaluations</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan ResultTokenLifetime { get; set; } = TimeSpan.FromHours(12);
}
