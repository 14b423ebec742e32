namespace Platform.Http;

/// <summary>
/// Collects every field that is wrong and why, so one 400 (RFC 9457 validation problem) answers them all; the one
/// place such problems are built.
/// </summary>
public sealed class ValidationErrors
{
    /// <summary>The longest free-text reason (a triage, a suppression) taken: a sentence or two, not a store for megabytes.</summary>
    public const int MaxReasonLength = 2000;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    /// <summary>How many reasons were added, to tell whether a step added any.</summary>
    public int Count => _errors.Values.Sum(r => r.Count);

    public IReadOnlyDictionary<string, string[]> ByField => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void Add(string field, string reason)
    {
        if (!_errors.TryGetValue(field, out var reasons))
        {
            _errors[field] = reasons = [];
        }
        reasons.Add(reason);
    }

    /// <summary>Free text is bounded (<see cref="MaxReasonLength"/> for reasons): the answer names the field and the limit.</summary>
    public void AddIfLonger(string field, string? text, int maxLength)
    {
        if (text is not null && text.Length > maxLength)
        {
            Add(field, $"is {text.Length} characters long: at most {maxLength}");
        }
    }

    /// <summary><paramref name="name"/> inside <paramref name="prefix"/> (a field path such as <c>resources[0].spec</c>).</summary>
    public static string Field(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    public ValidationProblem ToProblem(string? title = null) =>
        TypedResults.ValidationProblem(ByField, detail: ToString(), title: title ?? "The request is invalid.");

    public override string ToString() => string.Join("; ", _errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
}
