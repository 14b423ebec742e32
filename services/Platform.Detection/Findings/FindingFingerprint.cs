using System.Security.Cryptography;
using System.Text;

namespace Platform.Detection.Findings;

/// <summary>
/// What makes two matches the same finding. For a detection rule: the rule, the account, the principal (else
/// the source IP) and the primary resource acted on. For a correlation: the rule and its group-by values.
/// The finding's id and stream id derive from it, so every instance maps a match to the same stream.
/// </summary>
public static class FindingFingerprint
{
    public const string StreamPrefix = "finding/";

    // The request parameter naming the resource a CloudTrail call acts on, most specific first.
    private static readonly string[] s_resourceParameters =
    [
        "bucketName", "userName", "roleName", "groupName", "policyArn", "functionName", "trailName", "name",
        "instanceId", "groupId", "snapshotId", "imageId", "volumeId", "keyId", "secretId", "dBInstanceIdentifier",
        "dBClusterIdentifier", "detectorId", "clusterName", "logGroupName", "hostedZoneId", "domainName",
        "stackName", "resourceArn", "roleArn", "layerName", "configurationRecorderName", "documentName", "target",
    ];

    public static string ForDetection(string ruleKey, NormalizedLogEvent logEvent, string? resource) =>
        Join("rule", ruleKey, logEvent.Account ?? "", logEvent.Principal ?? logEvent.SourceIp ?? "", resource ?? "");

    public static string ForCorrelation(string correlationKey, string groupKey) => Join("correlation", correlationKey, groupKey);

    /// <summary>A CloudTrail Insight is a finding of its own: its type's rule and the id its start and end events share.</summary>
    public static string ForInsight(string ruleKey, Guid sharedEventId) => Join("insight", ruleKey, sharedEventId.ToString("N"));

    /// <summary>A retro-hunt's findings are its own: the live fingerprint within the hunt, so they never add to live findings.</summary>
    public static string ForOrigin(FindingOrigin? origin, string fingerprint) =>
        origin is null ? fingerprint : Join(origin.Type, origin.HuntId.ToString("N"), fingerprint);

    /// <summary>The finding id: the first 16 bytes of the fingerprint's SHA-256.</summary>
    public static Guid IdOf(string fingerprint)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint), hash);
        return new Guid(hash[..16]);
    }

    public static string StreamIdOf(Guid findingId) => StreamPrefix + findingId.ToString("N");

    /// <summary>The resource a CloudTrail call acted on (a name or ARN from its request), else its first listed resource ARN.</summary>
    public static string? PrimaryResourceOf(NormalizedLogEvent logEvent)
    {
        var document = logEvent.Document.Root;
        if (document.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (logEvent.SourceType == LogSourceTypes.VpcFlow)
        {
            return Text(document, "dstaddr");
        }

        if (document.TryGetProperty("requestParameters"u8, out var parameters) && parameters.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in s_resourceParameters)
            {
                if (parameters.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
                {
                    return text;
                }
            }
        }

        if (document.TryGetProperty("resources"u8, out var resources) && resources.ValueKind == JsonValueKind.Array)
        {
            foreach (var resource in resources.EnumerateArray())
            {
                if (resource.ValueKind == JsonValueKind.Object && Text(resource, "ARN") is { } arn)
                {
                    return arn;
                }
            }
        }

        return null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : null,
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    // A separator that cannot appear in the parts' meaning keeps "a|b" + "c" apart from "a" + "b|c".
    private static string Join(params string[] parts) => string.Join('\u001f', parts);
}
