using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Platform.Contracts.Compliance;
using Platform.Contracts.Detection;
using Platform.Contracts.Ingestion;

namespace Platform.Alerting.EventRules;

/// <summary>
/// Puts what the platform sees into EventBridge's envelope, as AWS delivers it to rules: CloudTrail records as
/// <c>aws.&lt;service&gt;</c> events with the record as <c>detail</c>, findings as <c>platform.detection</c> and alarm state
/// changes as <c>platform.alerting</c> in CloudWatch's alarm event shape. Ids are derived from what the event stands
/// for, so a redelivered message yields the same event id (and the same delivery keys).
/// </summary>
public static class EventEnvelope
{
    /// <summary>The envelope fields TestEventPattern requires of an event.</summary>
    public static readonly IReadOnlyList<string> RequiredFields = ["id", "account", "source", "time", "region", "detail-type"];

    public const string ApiCall = "AWS API Call via CloudTrail";
    public const string ConsoleSignIn = "AWS Console Sign In via CloudTrail";
    public const string ServiceEvent = "AWS Service Event via CloudTrail";
    public const string FindingSource = "platform.detection";
    public const string FindingRaisedType = "Finding Raised";

    /// <summary>The detail-type of a retro-hunt's finding (its source is <see cref="FindingOrigin.RetroHuntSource"/>).</summary>
    public const string RetroHuntFindingRaisedType = "Retro-Hunt Finding Raised";
    public const string AlarmSource = "platform.alerting";
    public const string AlarmStateChangeType = "CloudWatch Alarm State Change";
    public const string ComplianceSource = "platform.compliance";
    public const string ComplianceChangeType = "Config Rules Compliance Change";

    /// <summary>A CloudTrail record's EventBridge source: <c>iam.amazonaws.com</c> is <c>aws.iam</c>; null without an event source.</summary>
    public static string? CloudTrailSource(NormalizedLogEvent record) =>
        string.IsNullOrEmpty(record.EventSource) ? null : "aws." + record.EventSource.Split('.', 2)[0];

    /// <summary>A CloudTrail record (its <see cref="NormalizedLogEvent.Document"/>) in the envelope; null for other log events.</summary>
    public static JsonDocument? ForCloudTrail(NormalizedLogEvent record)
    {
        if (record.SourceType != LogSourceTypes.CloudTrail || CloudTrailSource(record) is not { } source)
        {
            return null;
        }
        var root = record.Document.Root;
        var eventType = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("eventType", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;
        var detailType = eventType == "AwsServiceEvent" ? ServiceEvent
            : eventType == "AwsConsoleSignIn" || (record.EventSource == "signin.amazonaws.com" && record.EventName == "ConsoleLogin") ? ConsoleSignIn
            : ApiCall;
        return Build(
            DeterministicId("cloudtrail", record.EventId), source, detailType, record.Account, record.EventTime, record.Region,
            ResourceArns(root), record.Document.WriteTo);
    }

    /// <summary>The EventBridge source of a finding: a retro-hunt's findings have their own.</summary>
    public static string SourceOf(FindingRaised finding) => finding.Origin is null ? FindingSource : FindingOrigin.RetroHuntSource;

    public static JsonDocument ForFinding(FindingRaised finding) =>
        Build(
            DeterministicId("finding", finding.FindingId.ToString()), SourceOf(finding),
            finding.Origin is null ? FindingRaisedType : RetroHuntFindingRaisedType, finding.Account, finding.FirstSeenAt,
            finding.Region, finding.Resources, writer => JsonSerializer.Serialize(writer, finding, PlatformJson.Options));

    /// <summary>CloudWatch's alarm state change event: <c>alarmName</c>, <c>state</c> and <c>previousState</c>.</summary>
    public static JsonDocument ForAlarm(AlarmStateChanged change) =>
        Build(
            DeterministicId("alarm", $"{change.AlarmName}/{change.Version}"), AlarmSource, AlarmStateChangeType, null, change.Timestamp, null, [],
            writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("alarmName", change.AlarmName);
                writer.WriteStartObject("state");
                writer.WriteString("value", change.NewState);
                writer.WriteString("reason", change.Reason);
                if (change.ReasonData is not null)
                {
                    writer.WriteString("reasonData", change.ReasonData);
                }
                writer.WriteString("timestamp", change.Timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'"));
                writer.WriteEndObject();
                writer.WriteStartObject("previousState");
                writer.WriteString("value", change.OldState);
                writer.WriteEndObject();
                writer.WriteStartObject("configuration");
                writer.WriteStartArray("actions");
                foreach (var action in change.Actions)
                {
                    writer.WriteStringValue(action);
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndObject();
            });

    /// <summary>
    /// AWS Config's compliance change event: the rule, the resource, and the new and old evaluation results as Config
    /// writes them (<c>messageType</c> <c>ComplianceChangeNotification</c>), so a pattern written for
    /// <c>detail.newEvaluationResult.complianceType</c> works unchanged.
    /// </summary>
    public static JsonDocument ForCompliance(ComplianceChanged change) =>
        Build(
            DeterministicId("compliance", $"{change.ConfigRuleName}/{change.ResourceType}/{change.ResourceId}/{change.Version}"),
            ComplianceSource, ComplianceChangeType, change.AwsAccountId, change.OrderingTimestamp, change.AwsRegion, [],
            writer =>
            {
                var ordering = Timestamp(change.OrderingTimestamp);
                writer.WriteStartObject();
                writer.WriteString("resourceId", change.ResourceId);
                writer.WriteString("awsRegion", change.AwsRegion);
                writer.WriteString("awsAccountId", change.AwsAccountId);
                writer.WriteString("configRuleName", change.ConfigRuleName);
                writer.WriteString("recordVersion", "1.0");
                writer.WriteString("messageType", "ComplianceChangeNotification");
                writer.WriteStartObject("newEvaluationResult");
                writer.WriteStartObject("evaluationResultIdentifier");
                writer.WriteStartObject("evaluationResultQualifier");
                writer.WriteString("configRuleName", change.ConfigRuleName);
                writer.WriteString("resourceType", change.ResourceType);
                writer.WriteString("resourceId", change.ResourceId);
                writer.WriteEndObject();
                writer.WriteString("orderingTimestamp", ordering);
                writer.WriteEndObject();
                writer.WriteString("complianceType", change.NewComplianceType);
                writer.WriteString("resultRecordedTime", ordering);
                writer.WriteString("configRuleInvokedTime", ordering);
                if (change.Annotation is not null)
                {
                    writer.WriteString("annotation", change.Annotation);
                }
                writer.WriteEndObject();
                if (change.OldComplianceType is not null)
                {
                    writer.WriteStartObject("oldEvaluationResult");
                    writer.WriteString("complianceType", change.OldComplianceType);
                    writer.WriteEndObject();
                }
                writer.WriteString("notificationCreationTime", ordering);
                writer.WriteString("resourceType", change.ResourceType);
                writer.WriteEndObject();
            });

    private static string Timestamp(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static JsonDocument Build(
        string id, string source, string detailType, string? account, DateTimeOffset time, string? region,
        IEnumerable<string> resources, Action<Utf8JsonWriter> writeDetail)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("version", "0");
            writer.WriteString("id", id);
            writer.WriteString("detail-type", detailType);
            writer.WriteString("source", source);
            writer.WriteString("account", account ?? "");
            writer.WriteString("time", time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
            writer.WriteString("region", region ?? "");
            writer.WriteStartArray("resources");
            foreach (var resource in resources)
            {
                writer.WriteStringValue(resource);
            }
            writer.WriteEndArray();
            writer.WritePropertyName("detail");
            writeDetail(writer);
            writer.WriteEndObject();
        }
        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    /// <summary>The ARNs a CloudTrail record lists under <c>resources</c>.</summary>
    private static List<string> ResourceArns(JsonElement record)
    {
        var arns = new List<string>();
        if (record.ValueKind == JsonValueKind.Object && record.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Array)
        {
            foreach (var resource in resources.EnumerateArray())
            {
                if (resource.ValueKind == JsonValueKind.Object && resource.TryGetProperty("ARN", out var arn) && arn.ValueKind == JsonValueKind.String)
                {
                    arns.Add(arn.GetString()!);
                }
            }
        }
        return arns;
    }

    private static string DeterministicId(string kind, string key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}:{key}"), hash);
        return new Guid(hash[..16]).ToString();
    }
}
