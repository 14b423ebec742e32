using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Platform.Compliance.Configuration;

/// <summary>A successful CloudTrail call, as a change takes it: the record and where it happened.</summary>
/// <param name="Record">The CloudTrail record.</param>
/// <param name="ResourceId">The resource it changed.</param>
/// <param name="Account">The account (the event's).</param>
/// <param name="Region">The region (the event's).</param>
/// <param name="EventTime">When the call was made: the derived item's capture time.</param>
public sealed record CloudTrailCall(JsonElement Record, string ResourceId, string Account, string Region, DateTimeOffset EventTime)
{
    public JsonElement? RequestParameters => Record.TryGetProperty("requestParameters", out var p) && p.ValueKind == JsonValueKind.Object ? p : null;

    public JsonElement? ResponseElements => Record.TryGetProperty("responseElements", out var r) && r.ValueKind == JsonValueKind.Object ? r : null;
}

/// <summary>
/// How one CloudTrail call changes a resource's configuration: which resource (from the record's request
/// parameters) and what becomes of its current item (null when there is none yet).
/// </summary>
/// <param name="ResourceType">The type of the resource it changes.</param>
/// <param name="ResourceIdOf">The resource's id from the call's request parameters and the event's account; null when the record names none.</param>
/// <param name="Apply">The changed configuration and supplementary configuration, on top of the current ones; returns whether the resource is deleted.</param>
public sealed record CloudTrailChange(
    string ResourceType, Func<JsonElement, string, string?> ResourceIdOf, Func<CloudTrailCall, JsonObject, JsonObject, bool> Apply);

/// <summary>
/// The CloudTrail calls that change what a rule sees, by (eventSource, eventName): each changes only what the call
/// changed, on top of the resource's current item. A table: another call is one more entry.
/// </summary>
public static class CloudTrailChanges
{
    private const string Trail = "AWS::CloudTrail::Trail";
    private const string Bucket = "AWS::S3::Bucket";
    private const string CloudTrailSource = "cloudtrail.amazonaws.com";
    private const string S3Source = "s3.amazonaws.com";
    private const string IamSource = "iam.amazonaws.com";

    private static readonly FrozenDictionary<(string Source, string Name), CloudTrailChange> s_changes =
        new Dictionary<(string, string), CloudTrailChange>
        {
            [(CloudTrailSource, "StartLogging")] = TrailChange((call, _, supplementary) => SetLogging(supplementary, true)),
            [(CloudTrailSource, "StopLogging")] = TrailChange((call, _, supplementary) => SetLogging(supplementary, false)),
            // A new trail does not log until StartLogging.
            [(CloudTrailSource, "CreateTrail")] = TrailChange((call, configuration, supplementary) =>
            {
                Merge(configuration, call.ResponseElements ?? call.RequestParameters);
                SetLogging(supplementary, false);
            }),
            [(CloudTrailSource, "UpdateTrail")] = TrailChange((call, configuration, _) => Merge(configuration, call.ResponseElements ?? call.RequestParameters)),
            [(CloudTrailSource, "DeleteTrail")] = new(Trail, TrailName, (_, _, _) => true),
            [(S3Source, "CreateBucket")] = BucketChange((call, configuration, _) => configuration["name"] = call.ResourceId),
            [(S3Source, "DeleteBucket")] = new(Bucket, BucketName, (_, _, _) => true),
            [(S3Source, "PutBucketEncryption")] = BucketChange((call, _, supplementary) =>
                supplementary["ServerSideEncryptionConfiguration"] = EncryptionConfiguration(call.RequestParameters)),
            [(S3Source, "DeleteBucketEncryption")] = BucketChange((_, _, supplementary) => supplementary.Remove("ServerSideEncryptionConfiguration")),
            [(S3Source, "PutBucketPolicy")] = BucketChange((call, _, supplementary) =>
                supplementary["BucketPolicy"] = new JsonObject { ["policyText"] = BucketPolicy(call.RequestParameters) }),
            [(S3Source, "DeleteBucketPolicy")] = BucketChange((_, _, supplementary) => supplementary["BucketPolicy"] = new JsonObject { ["policyText"] = null }),
            [(IamSource, "UpdateAccountPasswordPolicy")] = AccountChange((call, configuration) => configuration["PasswordPolicy"] = PasswordPolicy(call.RequestParameters)),
            [(IamSource, "DeleteAccountPasswordPolicy")] = AccountChange((_, configuration) => configuration["PasswordPolicy"] = null),
        }.ToFrozenDictionary();

    /// <summary>The calls the table holds, as <c>eventSource:eventName</c>.</summary>
    public static IEnumerable<string> Known => s_changes.Keys.Select(k => $"{k.Source}:{k.Name}");

    public static CloudTrailChange? Find(string? eventSource, string? eventName) =>
        eventSource is not null && eventName is not null && s_changes.TryGetValue((eventSource, eventName), out var change) ? change : null;

    /// <summary>
    /// The item <paramref name="change"/> makes of <paramref name="current"/> (null when the resource was never recorded):
    /// the call's time as capture time, the event's account and region, everything the call did not change kept.
    /// </summary>
    public static ConfigurationItem Derive(CloudTrailChange change, CloudTrailCall call, ConfigurationItem? current)
    {
        var configuration = current?.Configuration is { ValueKind: JsonValueKind.Object } c ? JsonObject.Create(c)!.DeepClone().AsObject() : [];
        var supplementary = current?.SupplementaryConfiguration is { ValueKind: JsonValueKind.Object } s ? JsonObject.Create(s)!.DeepClone().AsObject() : [];
        var deleted = change.Apply(call, configuration, supplementary);
        return new ConfigurationItem(
            change.ResourceType, call.ResourceId, current?.ResourceName ?? call.ResourceId, call.Account, call.Region,
            current?.Arn ?? ArnOf(change.ResourceType, call), current?.AvailabilityZone, call.EventTime,
            deleted ? "ResourceDeleted" : "OK", null, current?.ResourceCreationTime,
            deleted ? null : JsonSerializer.SerializeToElement(configuration),
            JsonSerializer.SerializeToElement(supplementary),
            current?.Tags ?? new Dictionary<string, string>(), current?.Relationships ?? []);
    }

    private static CloudTrailChange TrailChange(Action<CloudTrailCall, JsonObject, JsonObject> apply) =>
        new(Trail, TrailName, (call, configuration, supplementary) =>
        {
            apply(call, configuration, supplementary);
            configuration.TryAdd("name", call.ResourceId);
            return false;
        });

    private static CloudTrailChange BucketChange(Action<CloudTrailCall, JsonObject, JsonObject> apply) =>
        new(Bucket, BucketName, (call, configuration, supplementary) =>
        {
            apply(call, configuration, supplementary);
            return false;
        });

    /// <summary>Account-level facts: the account's item (<see cref="ConfigurationItem.AccountResourceType"/>), its id the event's account.</summary>
    private static CloudTrailChange AccountChange(Action<CloudTrailCall, JsonObject> apply) =>
        new(ConfigurationItem.AccountResourceType, (_, account) => account, (call, configuration, _) =>
        {
            apply(call, configuration);
            return false;
        });

    /// <summary>A trail's Config resource id is its name; calls name it by name or ARN (<c>arn:...:trail/NAME</c>).</summary>
    private static string? TrailName(JsonElement parameters, string account)
    {
        var name = Text(parameters, "name");
        var slash = name?.LastIndexOf('/') ?? -1;
        return name is not null && name.StartsWith("arn:", StringComparison.Ordinal) && slash > 0 ? name[(slash + 1)..] : name;
    }

    private static string? BucketName(JsonElement parameters, string account) => Text(parameters, "bucketName");

    private static string? ArnOf(string resourceType, CloudTrailCall call) => resourceType switch
    {
        Bucket => $"arn:aws:s3:::{call.ResourceId}",
        Trail => $"arn:aws:cloudtrail:{call.Region}:{call.Account}:trail/{call.ResourceId}",
        _ => null,
    };

    private static void SetLogging(JsonObject supplementary, bool isLogging)
    {
        var status = supplementary["TrailStatus"] as JsonObject ?? [];
        status["IsLogging"] = isLogging;
        supplementary["TrailStatus"] = status;
    }

    private static void Merge(JsonObject configuration, JsonElement? fields)
    {
        if (fields is not { } values)
        {
            return;
        }
        foreach (var field in values.EnumerateObject())
        {
            configuration[field.Name] = JsonNode.Parse(field.Value.GetRawText());
        }
    }

    /// <summary>
    /// <c>PutBucketEncryption</c>'s request (<c>ServerSideEncryptionConfiguration.Rule</c>, one or a list, as S3's XML
    /// turned JSON) in Config's shape: <c>{"rules":[{"applyServerSideEncryptionByDefault":{"sseAlgorithm", "kmsMasterKeyID"}, "bucketKeyEnabled"}]}</c>.
    /// </summary>
    private static JsonObject EncryptionConfiguration(JsonElement? parameters)
    {
        var rules = new JsonArray();
        if (parameters is { } p && p.TryGetProperty("ServerSideEncryptionConfiguration", out var configuration)
            && configuration.ValueKind == JsonValueKind.Object && configuration.TryGetProperty("Rule", out var rule))
        {
            foreach (var r in rule.ValueKind == JsonValueKind.Array ? rule.EnumerateArray().ToArray() : [rule])
            {
                var byDefault = r.ValueKind == JsonValueKind.Object && r.TryGetProperty("ApplyServerSideEncryptionByDefault", out var d) ? d : default;
                var converted = new JsonObject
                {
                    ["applyServerSideEncryptionByDefault"] = new JsonObject
                    {
                        ["sseAlgorithm"] = byDefault.ValueKind == JsonValueKind.Object ? Text(byDefault, "SSEAlgorithm") : null,
                        ["kmsMasterKeyID"] = byDefault.ValueKind == JsonValueKind.Object ? Text(byDefault, "KMSMasterKeyID") : null,
                    },
                };
                if (r.ValueKind == JsonValueKind.Object && r.TryGetProperty("BucketKeyEnabled", out var key))
                {
                    converted["bucketKeyEnabled"] = key.ValueKind is JsonValueKind.True || (key.ValueKind == JsonValueKind.String && key.GetString() == "true");
                }
                rules.Add(converted);
            }
        }
        return new JsonObject { ["rules"] = rules };
    }

    /// <summary><c>PutBucketPolicy</c>'s policy: CloudTrail records it as an object (<c>bucketPolicy</c>), or as text.</summary>
    private static JsonNode? BucketPolicy(JsonElement? parameters)
    {
        if (parameters is not { } p || !p.TryGetProperty("bucketPolicy", out var policy) || policy.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        var node = JsonNode.Parse(policy.GetRawText());
        return EmbeddedDocuments.TryParse(node, ConfigurationItemReader.MaxItemDepth) ?? node;
    }

    /// <summary>
    /// <c>UpdateAccountPasswordPolicy</c>'s request (camelCase) as <c>GetAccountPasswordPolicy</c> returns the policy
    /// (PascalCase, <c>ExpirePasswords</c> when a maximum age is set); what the call leaves out takes IAM's default.
    /// </summary>
    private static JsonObject PasswordPolicy(JsonElement? parameters)
    {
        JsonNode? Value(string name, JsonNode? fallback) =>
            parameters is { } p && p.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? JsonNode.Parse(v.GetRawText()) : fallback;
        var policy = new JsonObject
        {
            ["MinimumPasswordLength"] = Value("minimumPasswordLength", 6),
            ["RequireSymbols"] = Value("requireSymbols", false),
            ["RequireNumbers"] = Value("requireNumbers", false),
            ["RequireUppercaseCharacters"] = Value("requireUppercaseCharacters", false),
            ["RequireLowercaseCharacters"] = Value("requireLowercaseCharacters", false),
            ["AllowUsersToChangePassword"] = Value("allowUsersToChangePassword", false),
            ["HardExpiry"] = Value("hardExpiry", false),
        };
        var age = Value("maxPasswordAge", null);
        if (age is not null)
        {
            policy["MaxPasswordAge"] = age;
        }
        policy["ExpirePasswords"] = age is JsonValue number && number.TryGetValue<int>(out var days) && days > 0;
        if (Value("passwordReusePrevention", null) is { } reuse)
        {
            policy["PasswordReusePrevention"] = reuse;
        }
        return policy;
    }

    private static string? Text(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String
            ? property.GetString()
            : null;
}
