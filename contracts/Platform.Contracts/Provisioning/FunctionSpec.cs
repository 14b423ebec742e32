namespace Platform.Contracts.Provisioning;

/// <summary>
/// What stands for a Lambda function: an HTTPS endpoint invoked (POST) with the payload Lambda would receive (the
/// EventBridge event, the CloudWatch Logs subscription data, the SNS notification). Targets name it by Lambda ARN
/// (<c>arn:aws:lambda:us-east-1:123456789012:function:process-logs</c>) or by name.
/// </summary>
/// <param name="Endpoint">The URL invoked.</param>
/// <param name="SigningSecret">The key its requests are signed with (HMAC-SHA256); the configured default when absent. Never logged.</param>
public sealed record FunctionSpec(string Endpoint, string? SigningSecret = null);
