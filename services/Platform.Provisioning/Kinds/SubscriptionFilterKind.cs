using Platform.Contracts.Alerting;
using Platform.FilterPatterns;

namespace Platform.Provisioning.Kinds;

/// <summary>
/// <c>subscription-filters</c>: CloudWatch Logs subscription filters as <c>put_subscription_filter</c> takes them, the
/// pattern parsed with the filter pattern parser the alerting service runs.
/// </summary>
public sealed class SubscriptionFilterKind() : ResourceKind<SubscriptionFilterSpec>(ProvisioningKinds.SubscriptionFilters, (n, s, v) => new SubscriptionFilterProvisioned(n, s, v), (n, v) => new SubscriptionFilterDeleted(n, v))
{
    public static readonly IReadOnlyList<string> Distributions = ["ByLogStream", "Random"];

    protected override SubscriptionFilterSpec Validate(SubscriptionFilterSpec spec, string field, ValidationErrors errors)
    {
        var logGroupName = spec.LogGroupName?.Trim() ?? "";
        if (LogGroupKind.ValidateLogGroupName(logGroupName) is { } logGroupReason)
        {
            errors.Add(ValidationErrors.Field(field, "logGroupName"), logGroupReason);
        }

        var filterName = spec.FilterName?.Trim() ?? "";
        if (filterName.Length is 0 or > 512 || filterName.Contains(':') || filterName.Contains('*'))
        {
            errors.Add(ValidationErrors.Field(field, "filterName"), "must be 1 to 512 characters without ':' or '*'");
        }

        if (spec.FilterPattern is null)
        {
            errors.Add(ValidationErrors.Field(field, "filterPattern"), "is required (\"\" matches every event)");
        }
        else if (FilterPattern.TryParse(spec.FilterPattern, out var patternError) is null)
        {
            errors.Add(ValidationErrors.Field(field, "filterPattern"), patternError!.ToString());
        }

        var destination = spec.DestinationArn?.Trim() ?? "";
        if (DeliveryTarget.Parse(destination, out var destinationReason) is null)
        {
            errors.Add(ValidationErrors.Field(field, "destinationArn"), destinationReason!);
        }

        var roleArn = string.IsNullOrWhiteSpace(spec.RoleArn) ? null : spec.RoleArn.Trim();
        if (roleArn is not null && !(roleArn.StartsWith("arn:aws", StringComparison.Ordinal) && roleArn.Contains(":iam::", StringComparison.Ordinal)
                                     && roleArn.Contains(":role/", StringComparison.Ordinal) && roleArn.Length <= 2048))
        {
            errors.Add(ValidationErrors.Field(field, "roleArn"), "must be an IAM role ARN: arn:aws:iam::<account>:role/<name>");
        }

        var distribution = string.IsNullOrWhiteSpace(spec.Distribution) ? null : spec.Distribution.Trim();
        if (distribution is not null && !Distributions.Contains(distribution))
        {
            errors.Add(ValidationErrors.Field(field, "distribution"), $"must be one of {string.Join(", ", Distributions)}");
        }

        return new SubscriptionFilterSpec(logGroupName, filterName, spec.FilterPattern ?? "", destination, roleArn, distribution);
    }
}
