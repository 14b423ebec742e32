namespace Platform.Provisioning.Kinds;

/// <summary><c>log-groups</c>: retention, KMS key and tags of CloudWatch Logs log groups, by their AWS name.</summary>
public sealed partial class LogGroupKind() : ResourceKind<LogGroupSpec>(ProvisioningKinds.LogGroups, (n, s, v) => new LogGroupProvisioned(n, s, v), (n, v) => new LogGroupDeleted(n, v))
{
    /// <summary>The retention periods CloudWatch Logs accepts.</summary>
    public static readonly IReadOnlyList<int> RetentionPeriods =
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    /// <summary>
    /// A log group's name is its AWS name, which may hold '/' and '#' (<c>/aws/lambda/x</c>): in a URL
    /// send '/' as <c>%2F</c> so the name stays one path segment.
    /// </summary>
    public override string? ValidateName(string name) => ValidateLogGroupName(name);

    public static string? ValidateLogGroupName(string name) =>
        LogGroupName().IsMatch(name) ? null : "must be 1 to 512 letters, digits, '.', '_', '-', '/' or '#'";

    protected override LogGroupSpec Validate(LogGroupSpec spec, string field, ValidationErrors errors)
    {
        if (spec.RetentionInDays is { } days && !RetentionPeriods.Contains(days))
        {
            errors.Add(ValidationErrors.Field(field, "retentionInDays"), days <= 0
                ? "must be positive"
                : $"{days} is not a retention CloudWatch Logs allows: use one of {string.Join(", ", RetentionPeriods)}");
        }

        var kmsKeyId = string.IsNullOrWhiteSpace(spec.KmsKeyId) ? null : spec.KmsKeyId.Trim();
        if (kmsKeyId is not null && !KmsKeyArn().IsMatch(kmsKeyId))
        {
            errors.Add(ValidationErrors.Field(field, "kmsKeyId"), "must be a KMS key ARN: arn:aws:kms:<region>:<account>:key/<id>");
        }

        if (spec.Tags is { } tags)
        {
            if (tags.Count > 50)
            {
                errors.Add(ValidationErrors.Field(field, "tags"), "at most 50 tags");
            }
            foreach (var (key, value) in tags)
            {
                if (key.Length is 0 or > 128 || key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add(ValidationErrors.Field(field, $"tags.{key}"), "a tag key is 1 to 128 characters and does not start with 'aws:'");
                }
                else if (value is null || value.Length > 256)
                {
                    errors.Add(ValidationErrors.Field(field, $"tags.{key}"), "a tag value is a string of at most 256 characters");
                }
            }
        }

        return spec with
        {
            KmsKeyId = kmsKeyId,
            Tags = spec.Tags is { Count: > 0 } t ? new SortedDictionary<string, string>(t.ToDictionary(), StringComparer.Ordinal) : null,
        };
    }

    [GeneratedRegex(@"^[A-Za-z0-9._/#-]{1,512}$")]
    private static partial Regex LogGroupName();

    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:kms:[a-z]{2}(-[a-z]+)+-\d:\d{12}:(key|alias)/[A-Za-z0-9/_-]+$")]
    private static partial Regex KmsKeyArn();
}
