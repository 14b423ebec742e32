using Platform.Contracts.Ingestion;

namespace Platform.Detection.Tests;

/// <summary>CloudTrail records (Stratus Red Team detonations and synthetic ones) as ingestion would publish them.</summary>
public static class CloudTrail
{
    public static string StratusPath(string sample) => SharedData.PathOf("data", "cloudtrail", "stratus-detonations", sample);

    /// <summary>The records of a detonation with <paramref name="eventName"/>.</summary>
    public static IReadOnlyList<JsonObject> Records(string sample, string eventName) =>
        [.. JsonNode.Parse(File.ReadAllText(StratusPath(sample)))!.AsArray()
            .Select(n => n!.AsObject())
            .Where(r => (string?)r["eventName"] == eventName)];

    /// <summary>A copy of <paramref name="record"/> with a new event id (and, if given, a principal and time of its own).</summary>
    public static JsonObject Variant(JsonObject record, string? principalArn = null, DateTimeOffset? eventTime = null)
    {
        var copy = record.DeepClone().AsObject();
        copy["eventID"] = Guid.NewGuid().ToString();
        if (principalArn is not null)
        {
            copy["userIdentity"]!["arn"] = principalArn;
        }

        if (eventTime is { } time)
        {
            copy["eventTime"] = time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
        }

        return copy;
    }

    /// <summary>A minimal record for custom rules: its own event source, so no shipped rule matches it.</summary>
    public static JsonObject Synthetic(string eventName, string principalArn, string sourceIp, DateTimeOffset eventTime) => new()
    {
        ["eventVersion"] = "1.08",
        ["eventID"] = Guid.NewGuid().ToString(),
        ["eventTime"] = eventTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"),
        ["eventSource"] = "probe.platform.test",
        ["eventName"] = eventName,
        ["awsRegion"] = "eu-west-1",
        ["sourceIPAddress"] = sourceIp,
        ["recipientAccountId"] = "111122223333",
        ["userIdentity"] = new JsonObject { ["type"] = "IAMUser", ["arn"] = principalArn, ["accountId"] = "111122223333" },
    };

    public static LogEventsIngested Batch(IEnumerable<JsonObject> records, DateTimeOffset? ingestedAt = null) =>
        new(Guid.NewGuid(), "test", ingestedAt ?? DateTimeOffset.UtcNow, [.. records.Select(NormalizedCloudTrail.From)]);

    /// <summary>The current time to the second, as CloudTrail writes event times.</summary>
    public static DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    public static string UniqueArn(string user = "user") => $"arn:aws:iam::111122223333:user/{user}-{Guid.NewGuid():N}";

    /// <summary>An IPv6 documentation address no other test uses.</summary>
    public static string UniqueIp()
    {
        var hex = Guid.NewGuid().ToString("N");
        return $"2001:db8:{hex[..4]}:{hex[4..8]}::{hex[8..12]}";
    }
}
