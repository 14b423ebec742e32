namespace Platform.Console.Charts;

/// <summary>
/// The time range a page shows: a preset (last hour, day, week) or a custom <c>from</c>–<c>to</c> (UTC, as a
/// <c>datetime-local</c> field writes it). Read from the query string, so a range is a link that can be shared.
/// </summary>
public sealed record TimeRange(string Key, DateTimeOffset Start, DateTimeOffset End)
{
    public const string Custom = "custom";
    public const string InputFormat = "yyyy-MM-ddTHH:mm";

    public static readonly IReadOnlyList<(string Key, string Label, TimeSpan Span)> Presets =
    [
        ("1h", "Last hour", TimeSpan.FromHours(1)),
        ("1d", "Last day", TimeSpan.FromDays(1)),
        ("1w", "Last week", TimeSpan.FromDays(7)),
    ];

    /// <summary>
    /// The range the fields ask for (<c>range</c>, and <c>from</c> and <c>to</c> when custom; the last hour when they name
    /// none); null with an error per wrong field.
    /// </summary>
    public static TimeRange? Read(Func<string, string?> field, DateTimeOffset now, ValidationErrors errors)
    {
        var key = field("range") is { Length: > 0 } given ? given : Presets[0].Key;
        if (key != Custom)
        {
            var preset = Presets.FirstOrDefault(p => p.Key == key);
            if (preset.Key is null)
            {
                errors.Add("range", $"must be one of {string.Join(", ", Presets.Select(p => p.Key))} or {Custom}");
                return null;
            }
            return new TimeRange(key, now - preset.Span, now);
        }
        var from = ReadTime(field, "from", errors);
        var to = ReadTime(field, "to", errors);
        if (from is null || to is null)
        {
            return null;
        }
        if (to <= from)
        {
            errors.Add("to", "must be after from");
            return null;
        }
        return new TimeRange(key, from.Value, to.Value);
    }

    /// <summary>The query string that asks for this range again.</summary>
    public string Query => Key == Custom
        ? $"range={Custom}&from={Uri.EscapeDataString(Input(Start))}&to={Uri.EscapeDataString(Input(End))}"
        : $"range={Key}";

    public static string Input(DateTimeOffset time) => time.UtcDateTime.ToString(InputFormat, CultureInfo.InvariantCulture);

    private static DateTimeOffset? ReadTime(Func<string, string?> fields, string field, ValidationErrors errors)
    {
        var text = fields(field);
        if (DateTime.TryParseExact(text, InputFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            || DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out time))
        {
            return new DateTimeOffset(time, TimeSpan.Zero);
        }
        errors.Add(field, $"is required for a custom range: a UTC time such as {Input(DateTimeOffset.UnixEpoch)}");
        return null;
    }
}
