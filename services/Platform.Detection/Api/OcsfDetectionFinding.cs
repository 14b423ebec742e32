namespace Platform.Detection.Api;

/// <summary>
/// A finding as an OCSF 1.1.0 Detection Finding (class_uid 2004, category Findings). Built as a JSON tree
/// because OCSF's attribute names are snake_case while the rest of the API is camelCase.
/// </summary>
public static class OcsfDetectionFinding
{
    public const int ClassUid = 2004;
    public const int CategoryUid = 2;
    public const string SchemaVersion = "1.1.0";

    public static JsonObject From(FindingState finding)
    {
        // Activity: 1 Create (unchanged since raised: opened, occurrences, maybe auto-suppressed, raised), 3 Close (resolved), else 2 Update.
        var (activityId, activityName) = finding.Status == FindingStatus.Resolved
            ? (3, "Close")
            : finding.Version <= 4 ? (1, "Create") : (2, "Update");
        var (statusId, status) = finding.Status switch
        {
            FindingStatus.Open => (1, "New"),
            FindingStatus.Acknowledged => (2, "In Progress"),
            FindingStatus.Suppressed => (3, "Suppressed"),
            _ => (4, "Resolved"),
        };
        var (severityId, severity) = finding.Severity switch
        {
            FindingSeverity.Informational => (1, "Informational"),
            FindingSeverity.Low => (2, "Low"),
            FindingSeverity.Medium => (3, "Medium"),
            FindingSeverity.High => (4, "High"),
            _ => (5, "Critical"),
        };

        var attacks = new JsonArray();
        foreach (var technique in finding.Techniques)
        {
            var attack = new JsonObject { ["technique"] = new JsonObject { ["uid"] = technique }, ["version"] = "v14" };
            if (finding.Tactics.Count > 0)
            {
                attack["tactic"] = new JsonObject { ["name"] = TacticName(finding.Tactics[0]) };
            }

            attacks.Add(attack);
        }

        var evidences = new JsonArray();
        foreach (var evidence in finding.Evidence)
        {
            evidences.Add(new JsonObject
            {
                ["api"] = evidence.EventName is null ? null : new JsonObject { ["operation"] = evidence.EventName },
                ["data"] = new JsonObject { ["event_uid"] = evidence.EventId, ["time"] = evidence.EventTime.ToUnixTimeMilliseconds() },
            });
        }

        var result = new JsonObject
        {
            ["class_uid"] = ClassUid,
            ["class_name"] = "Detection Finding",
            ["category_uid"] = CategoryUid,
            ["category_name"] = "Findings",
            ["activity_id"] = activityId,
            ["activity_name"] = activityName,
            ["type_uid"] = ClassUid * 100 + activityId,
            ["type_name"] = $"Detection Finding: {activityName}",
            ["severity_id"] = severityId,
            ["severity"] = severity,
            ["status_id"] = statusId,
            ["status"] = status,
            ["time"] = finding.LastSeenAt.ToUnixTimeMilliseconds(),
            ["count"] = finding.Occurrences,
            ["message"] = finding.Title,
            ["finding_info"] = new JsonObject
            {
                ["uid"] = finding.Id.ToString(),
                ["title"] = finding.Title,
                ["desc"] = finding.Description,
                ["types"] = new JsonArray("Sigma"),
                ["analytic"] = new JsonObject
                {
                    ["uid"] = finding.RuleId,
                    ["name"] = finding.Title,
                    ["type_id"] = 1,
                    ["type"] = "Rule",
                },
                ["attacks"] = attacks,
                ["first_seen_time"] = finding.FirstSeenAt.ToUnixTimeMilliseconds(),
                ["last_seen_time"] = finding.LastSeenAt.ToUnixTimeMilliseconds(),
            },
            ["evidences"] = evidences,
            ["cloud"] = new JsonObject
            {
                ["provider"] = "AWS",
                ["account"] = finding.Account is null ? null : new JsonObject { ["uid"] = finding.Account },
                ["region"] = finding.Region,
            },
            ["actor"] = finding.Principal is null ? null : new JsonObject
            {
                ["user"] = finding.Principal.StartsWith("arn:", StringComparison.Ordinal)
                    ? new JsonObject { ["uid"] = finding.Principal, ["name"] = finding.Principal[(finding.Principal.LastIndexOf('/') + 1)..] }
                    : new JsonObject { ["name"] = finding.Principal },
            },
            ["metadata"] = new JsonObject
            {
                ["version"] = SchemaVersion,
                ["uid"] = $"{finding.Id}:{finding.Version}",
                ["product"] = new JsonObject { ["name"] = "Platform", ["vendor_name"] = "Platform" },
            },
        };
        RemoveNulls(result);
        return result;
    }

    /// <summary><c>privilege-escalation</c> → <c>Privilege Escalation</c>, as ATT&amp;CK names tactics.</summary>
    private static string TacticName(string tactic) =>
        string.Join(' ', tactic.Split('-').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));

    private static void RemoveNulls(JsonObject node)
    {
        foreach (var key in node.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            node.Remove(key);
        }

        foreach (var child in node.Select(p => p.Value).OfType<JsonObject>())
        {
            RemoveNulls(child);
        }

        foreach (var array in node.Select(p => p.Value).OfType<JsonArray>())
        {
            foreach (var item in array.OfType<JsonObject>())
            {
                RemoveNulls(item);
            }
        }
    }
}
