namespace Platform.Contracts.Alerting;

/// <summary>The kinds of thing an alarm action, rule target or subscription filter destination names.</summary>
public enum DeliveryTargetKind
{
    /// <summary>A provisioned <c>topics</c> resource: an SNS ARN or a bare name.</summary>
    Topic,

    /// <summary>A provisioned <c>functions</c> resource: a Lambda ARN.</summary>
    Function,

    /// <summary>An SQS queue, by ARN.</summary>
    Queue,
}

/// <summary>
/// A target as AWS writes it, resolved to what it names: <c>arn:aws:sns:&lt;region&gt;:&lt;account&gt;:&lt;name&gt;</c> or a bare
/// name is a topic, <c>arn:aws:lambda:&lt;region&gt;:&lt;account&gt;:function:&lt;name&gt;[:qualifier]</c> a function,
/// <c>arn:aws:sqs:&lt;region&gt;:&lt;account&gt;:&lt;name&gt;</c> a queue. Read the same way where a target is provisioned and
/// where it is delivered to.
/// </summary>
/// <param name="Kind">What it names.</param>
/// <param name="Name">The topic's or function's name; the queue's name for a queue.</param>
/// <param name="Region">The ARN's region (null for a bare name).</param>
/// <param name="Account">The ARN's account (null for a bare name).</param>
public sealed record DeliveryTarget(DeliveryTargetKind Kind, string Name, string? Region, string? Account)
{
    /// <summary>The longest target read (ARNs are at most 2048 characters).</summary>
    public const int MaxLength = 2048;

    /// <summary>What <paramref name="target"/> names, or null (with <paramref name="reason"/>) when it names nothing deliverable.</summary>
    public static DeliveryTarget? Parse(string? target, out string? reason)
    {
        reason = null;
        if (string.IsNullOrWhiteSpace(target) || target.Length > MaxLength)
        {
            reason = $"must be 1 to {MaxLength} characters: an SNS, Lambda or SQS ARN, or a topic's name";
            return null;
        }
        if (!target.StartsWith("arn:", StringComparison.Ordinal))
        {
            if (!IsName(target))
            {
                reason = "a topic's name is letters, digits, '.', '_' or '-'";
                return null;
            }
            return new DeliveryTarget(DeliveryTargetKind.Topic, target, null, null);
        }

        // arn:partition:service:region:account:resource
        var parts = target.Split(':');
        if (parts.Length < 6 || !parts[1].StartsWith("aws", StringComparison.Ordinal))
        {
            reason = "is not an ARN: arn:aws:<service>:<region>:<account>:<resource>";
            return null;
        }
        var (service, region, account) = (parts[2], parts[3], parts[4]);
        var located = region.Length > 0 && account.Length > 0;
        switch (service)
        {
            case "sns" when located && parts.Length == 6 && IsName(parts[5]):
                return new DeliveryTarget(DeliveryTargetKind.Topic, parts[5], region, account);
            case "sqs" when located && parts.Length == 6 && IsName(parts[5]):
                return new DeliveryTarget(DeliveryTargetKind.Queue, parts[5], region, account);
            case "lambda" when located && parts.Length is 7 or 8 && parts[5] == "function" && IsName(parts[6]):
                return new DeliveryTarget(DeliveryTargetKind.Function, parts[6], region, account);
            case "sns" or "sqs" or "lambda":
                reason = service == "lambda"
                    ? "a Lambda ARN is arn:aws:lambda:<region>:<account>:function:<name>"
                    : $"an {service.ToUpperInvariant()} ARN is arn:aws:{service}:<region>:<account>:<name>";
                return null;
            default:
                reason = $"'{service}' targets are not delivered to: use an SNS topic, a Lambda function or an SQS queue";
                return null;
        }
    }

    /// <summary>
    /// The function <paramref name="function"/> names, where only a function can be meant: a Lambda ARN or a bare name.
    /// Null (with <paramref name="reason"/>) when it is neither.
    /// </summary>
    public static DeliveryTarget? ParseFunction(string function, out string? reason)
    {
        if (!function.StartsWith("arn:", StringComparison.Ordinal))
        {
            reason = null;
            return new DeliveryTarget(DeliveryTargetKind.Function, function, null, null);
        }
        if (Parse(function, out reason) is not { Kind: DeliveryTargetKind.Function } target)
        {
            reason ??= "is not a Lambda function's ARN";
            return null;
        }
        return target;
    }

    /// <summary>Why a delivery to this target fails when it names no provisioned topic or function.</summary>
    public string NotProvisioned => $"no {Kind.ToString().ToLowerInvariant()} named '{Name}' is provisioned";

    private static bool IsName(string name) =>
        name.Length is > 0 and <= 256 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
