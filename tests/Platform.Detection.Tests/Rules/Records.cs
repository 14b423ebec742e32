namespace Platform.Detection.Tests.Rules;

/// <summary>CloudTrail records, VPC flow records and application log lines shaped as AWS and applications write them.</summary>
internal static class Records
{
    public const string Account = "111122223333";
    public const string OtherAccount = "444455556666";

    public const string IamUser = $$"""{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::{{Account}}:user/alice","accountId":"{{Account}}","accessKeyId":"AKIAEXAMPLE","userName":"alice"}""";

    public const string AssumedRole = """{"type":"AssumedRole","principalId":"AROAEXAMPLE:deploy","arn":"arn:aws:sts::111122223333:assumed-role/deployer/deploy","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/deployer","userName":"deployer"},"attributes":{"mfaAuthenticated":"false"}}}""";

    public const string InstanceRole = """{"type":"AssumedRole","principalId":"AROAEXAMPLE:i-0adc17a5acb70d9ae","arn":"arn:aws:sts::111122223333:assumed-role/web-server/i-0adc17a5acb70d9ae","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/web-server","userName":"web-server"},"ec2RoleDelivery":"2.0"}}""";

    public const string Root = $$"""{"type":"Root","principalId":"{{Account}}","arn":"arn:aws:iam::{{Account}}:root","accountId":"{{Account}}"}""";

    private static readonly DateTimeOffset s_start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static int s_nextId;

    /// <summary>A CloudTrail record; <paramref name="extra"/> adds top-level members (e.g. errorCode).</summary>
    public static string CloudTrail(
        string eventSource,
        string eventName,
        string requestParameters = "null",
        string identity = IamUser,
        string extra = "",
        string responseElements = "null",
        bool readOnly = false) =>
        $$"""
        {"eventVersion":"1.09","userIdentity":{{identity}},"eventTime":"2026-03-02T09:00:00Z","eventSource":"{{eventSource}}",
         "eventName":"{{eventName}}","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.7","userAgent":"aws-cli/2.15.0",
         "requestParameters":{{requestParameters}},"responseElements":{{responseElements}},"requestID":"r-1","eventID":"e-1",
         "readOnly":{{(readOnly ? "true" : "false")}},"eventType":"AwsApiCall","managementEvent":true,
         "recipientAccountId":"{{Account}}","eventCategory":"Management"{{(extra.Length > 0 ? "," + extra : "")}}}
        """;

    /// <summary>A CloudTrail record as a timed event, <paramref name="seconds"/> after a fixed start.</summary>
    public static LogEvent CloudTrailAt(double seconds, string record) =>
        LogEvent.Json(SigmaLogSources.CloudTrail, s_start.AddSeconds(seconds), NextId(), record);

    public static string ConsoleLoginFailure(string sourceIp) =>
        $$"""
        {"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE","accountId":"{{Account}}","accessKeyId":"","userName":"HIDDEN_DUE_TO_SECURITY_REASONS"},
         "eventTime":"2026-03-02T09:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1",
         "sourceIPAddress":"{{sourceIp}}","userAgent":"Mozilla/5.0","errorMessage":"Failed authentication","requestParameters":null,
         "responseElements":{"ConsoleLogin":"Failure"},"additionalEventData":{"LoginTo":"https://console.aws.amazon.com/console/home","MobileVersion":"No","MFAUsed":"No"},
         "eventID":"e-2","readOnly":false,"eventType":"AwsConsoleSignIn","managementEvent":true,"recipientAccountId":"{{Account}}","eventCategory":"Management"}
        """;

    public static string ConsoleLoginSuccessWithMfa(string sourceIp) =>
        $$"""
        {"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::{{Account}}:user/alice","accountId":"{{Account}}","userName":"alice"},
         "eventTime":"2026-03-02T09:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1",
         "sourceIPAddress":"{{sourceIp}}","userAgent":"Mozilla/5.0","requestParameters":null,"responseElements":{"ConsoleLogin":"Success"},
         "additionalEventData":{"LoginTo":"https://console.aws.amazon.com/console/home","MobileVersion":"No","MFAIdentifier":"arn:aws:iam::{{Account}}:mfa/alice","MFAUsed":"Yes"},
         "eventID":"e-3","readOnly":false,"eventType":"AwsConsoleSignIn","managementEvent":true,"recipientAccountId":"{{Account}}","eventCategory":"Management"}
        """;

    public static LogEvent ApplicationLoginAt(double seconds, string sourceIp, string status) =>
        LogEvent.Json(SigmaLogSources.Application, s_start.AddSeconds(seconds), NextId(),
            $$"""{"eventType":"LOGIN","status":"{{status}}","sourceIP":"{{sourceIp}}","user":"bob"}""");

    /// <summary>A VPC Flow Logs record (default v2 fields) as the ingestion service normalises it.</summary>
    public static LogEvent FlowAt(double seconds, string srcaddr, string dstaddr, int dstport, long bytes, string action) =>
        LogEvent.Json(SigmaLogSources.VpcFlowLogs, s_start.AddSeconds(seconds), NextId(),
            $$"""
            {"version":2,"account-id":"{{Account}}","interface-id":"eni-0123456789abcdef0","srcaddr":"{{srcaddr}}","dstaddr":"{{dstaddr}}",
             "srcport":49152,"dstport":{{dstport}},"protocol":6,"packets":10,"bytes":{{bytes}},"start":1767340800,"end":1767340860,
             "action":"{{action}}","log-status":"OK"}
            """);

    private static string NextId() => $"event-{Interlocked.Increment(ref s_nextId)}";
}
