namespace Platform.ConfigRules;

/// <summary>AWS Config's <c>MaximumExecutionFrequency</c> values: how often a periodic rule runs.</summary>
public static class ExecutionFrequencies
{
    /// <summary>Periodic rules run daily unless told otherwise, as AWS Config runs them.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromHours(24);

    public static readonly IReadOnlyDictionary<string, TimeSpan> All = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["One_Hour"] = TimeSpan.FromHours(1),
        ["Three_Hours"] = TimeSpan.FromHours(3),
        ["Six_Hours"] = TimeSpan.FromHours(6),
        ["Twelve_Hours"] = TimeSpan.FromHours(12),
        ["TwentyFour_Hours"] = TimeSpan.FromHours(24),
    };

    /// <summary>The frequency <paramref name="value"/> names; null when absent, or (reported to <paramref name="fail"/>) unknown.</summary>
    internal static TimeSpan? Read(string? value, string field, Action<string, string> fail)
    {
        if (value is null)
        {
            return null;
        }
        if (All.TryGetValue(value, out var frequency))
        {
            return frequency;
        }
        fail(field, $"unknown frequency '{value}': use {string.Join(", ", All.Keys)}");
        return null;
    }
}
