namespace Platform.Testing;

/// <summary>
/// The seed's queries as written: its Logs Insights query and the dashboard's, its CloudTrail Lake query and its three
/// Athena queries over <c>vpc_flow_logs</c> (the seed stack saves them all).
/// </summary>
public static class SeedQueries
{
    /// <summary>The log group the seed's Logs Insights queries read.</summary>
    public const string InsightsLogGroup = "/aws/cloudtrail/logs";

    public const string FailedAttempts = """
        fields @timestamp, eventName, userIdentity.arn, sourceIPAddress
        | filter errorCode like /Unauthorized|AccessDenied/
        | stats count(*) as failedAttempts by userIdentity.arn
        | sort failedAttempts desc
        | limit 10
        """;

    public const string Dashboard = """
        SOURCE '/aws/cloudtrail/logs'
        | fields @timestamp, eventName, userIdentity.arn
        | filter errorCode like /Unauthorized|AccessDenied/
        | sort @timestamp desc
        | limit 20
        """;

    public const string SeedLake = """
        SELECT eventName, COUNT(*) as count
        FROM security-events
        WHERE eventTime > '2025-01-01'
        AND errorCode IS NOT NULL
        GROUP BY eventName
        ORDER BY count DESC
        LIMIT 10
        """;

    public const string TopRejected = """
        SELECT srcaddr, dstaddr, dstport, action, COUNT(*) as count
        FROM vpc_flow_logs
        WHERE action = 'REJECT'
        AND dt >= '2025/01/01'
        GROUP BY srcaddr, dstaddr, dstport, action
        ORDER BY count DESC
        LIMIT 20;
        """;

    public const string PortScanners = """
        SELECT srcaddr, COUNT(DISTINCT dstport) as ports_scanned
        FROM vpc_flow_logs
        WHERE action = 'REJECT'
        GROUP BY srcaddr
        HAVING COUNT(DISTINCT dstport) > 100
        ORDER BY ports_scanned DESC;
        """;

    public const string Outbound = """
        SELECT dstaddr, SUM(bytes) as total_bytes
        FROM vpc_flow_logs
        WHERE action = 'ACCEPT'
        AND srcaddr LIKE '10.%'
        AND dstaddr NOT LIKE '10.%'
        GROUP BY dstaddr
        ORDER BY total_bytes DESC
        LIMIT 20;
        """;
}
