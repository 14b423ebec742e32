namespace Platform.SqlQueries;

/// <summary>The types the compiler checks expressions with (Trino's, as Lake and Athena name them).</summary>
public enum SqlType
{
    Varchar,
    BigInt,
    Numeric,
    Boolean,
    Timestamp,
    /// <summary>A map, struct or array (<c>requestParameters</c>, <c>userIdentity</c>): shown as JSON, read with element_at.</summary>
    Json,
    Null,
}

/// <summary>A column of a queryable table: the name the user writes, its type, and the fixed SQL reading it from a row of <c>e</c>.</summary>
public sealed record SqlColumn(string Name, SqlType Type, string Sql);

/// <summary>
/// A table of the SQL subset, over ingestion's raw log store: a fixed column table (nothing the user writes is copied
/// into SQL; an identifier only selects a column here), and the rows it reads. Each row is <c>e</c>: <c>e.d</c> the
/// event as jsonb (<c>coalesce(document, record)</c>: the record for CloudTrail, the built document for flow logs) and
/// <c>e.event_time</c>.
/// </summary>
public sealed class SqlTable
{
    private readonly Dictionary<string, SqlColumn> _columns;

    private SqlTable(IReadOnlyList<SqlColumn> columns, IReadOnlyList<SqlColumn> star, string sourceType, SqlTablePartitions partitions)
    {
        _columns = columns.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        Star = star;
        SourceType = sourceType;
        Partitions = partitions;
    }

    /// <summary>What <c>*</c> selects, in order.</summary>
    public IReadOnlyList<SqlColumn> Star { get; }

    /// <summary>The raw log store's <c>source_type</c> of the table's events.</summary>
    public string SourceType { get; }

    /// <summary>The columns whose values narrow which archive partitions a query reads.</summary>
    public SqlTablePartitions Partitions { get; }

    public SqlColumn? Find(string path) => _columns.GetValueOrDefault(path);

    public const string VpcFlowLogsName = "vpc_flow_logs";

    /// <summary>The seed's Athena table (with AWS's version 3 to 8 fields), partitioned by <c>dt</c> (<c>YYYY/MM/DD</c> of the flow's start).</summary>
    internal static SqlTable BuildFlowLogs(SqlDialect dialect)
    {
        (string Column, string Field, SqlType Type)[] fields =
        [
            ("version", "version", SqlType.BigInt), ("account_id", "account-id", SqlType.Varchar),
            ("interface_id", "interface-id", SqlType.Varchar), ("srcaddr", "srcaddr", SqlType.Varchar),
            ("dstaddr", "dstaddr", SqlType.Varchar), ("srcport", "srcport", SqlType.BigInt), ("dstport", "dstport", SqlType.BigInt),
            ("protocol", "protocol", SqlType.BigInt), ("packets", "packets", SqlType.BigInt), ("bytes", "bytes", SqlType.BigInt),
            ("start_time", "start", SqlType.BigInt), ("end_time", "end", SqlType.BigInt), ("action", "action", SqlType.Varchar),
            ("log_status", "log-status", SqlType.Varchar),
            ("vpc_id", "vpc-id", SqlType.Varchar), ("subnet_id", "subnet-id", SqlType.Varchar), ("instance_id", "instance-id", SqlType.Varchar),
            ("tcp_flags", "tcp-flags", SqlType.BigInt), ("type", "type", SqlType.Varchar), ("pkt_srcaddr", "pkt-srcaddr", SqlType.Varchar),
            ("pkt_dstaddr", "pkt-dstaddr", SqlType.Varchar), ("region", "region", SqlType.Varchar), ("az_id", "az-id", SqlType.Varchar),
            ("sublocation_type", "sublocation-type", SqlType.Varchar), ("sublocation_id", "sublocation-id", SqlType.Varchar),
            ("pkt_src_aws_service", "pkt-src-aws-service", SqlType.Varchar), ("pkt_dst_aws_service", "pkt-dst-aws-service", SqlType.Varchar),
            ("flow_direction", "flow-direction", SqlType.Varchar), ("traffic_path", "traffic-path", SqlType.BigInt),
            ("ecs_cluster_arn", "ecs-cluster-arn", SqlType.Varchar), ("ecs_cluster_name", "ecs-cluster-name", SqlType.Varchar),
            ("ecs_container_instance_arn", "ecs-container-instance-arn", SqlType.Varchar),
            ("ecs_container_instance_id", "ecs-container-instance-id", SqlType.Varchar), ("ecs_container_id", "ecs-container-id", SqlType.Varchar),
            ("ecs_second_container_id", "ecs-second-container-id", SqlType.Varchar), ("ecs_service_name", "ecs-service-name", SqlType.Varchar),
            ("ecs_task_definition_arn", "ecs-task-definition-arn", SqlType.Varchar), ("ecs_task_arn", "ecs-task-arn", SqlType.Varchar),
            ("ecs_task_id", "ecs-task-id", SqlType.Varchar), ("reject_reason", "reject-reason", SqlType.Varchar),
        ];
        var columns = fields.Select(f => new SqlColumn(f.Column, f.Type, f.Type == SqlType.BigInt ? dialect.BigInt([f.Field]) : dialect.Text([f.Field])))
            .Append(new SqlColumn("dt", SqlType.Varchar, dialect.Day))
            .ToList();
        return new SqlTable(columns, columns, Platform.Contracts.Ingestion.LogSourceTypes.VpcFlow, new SqlTablePartitions(null, "dt", null, null));
    }

    /// <summary>An event data store's columns, as CloudTrail Lake documents its event schema.</summary>
    internal static SqlTable BuildCloudTrail(SqlDialect dialect)
    {
        (string Path, SqlType Type)[] top =
        [
            ("eventVersion", SqlType.Varchar), ("userIdentity", SqlType.Json), ("eventTime", SqlType.Timestamp),
            ("eventSource", SqlType.Varchar), ("eventName", SqlType.Varchar), ("awsRegion", SqlType.Varchar),
            ("sourceIPAddress", SqlType.Varchar), ("userAgent", SqlType.Varchar), ("errorCode", SqlType.Varchar),
            ("errorMessage", SqlType.Varchar), ("requestParameters", SqlType.Json), ("responseElements", SqlType.Json),
            ("additionalEventData", SqlType.Json), ("requestID", SqlType.Varchar), ("eventID", SqlType.Varchar),
            ("readOnly", SqlType.Boolean), ("resources", SqlType.Json), ("eventType", SqlType.Varchar),
            ("apiVersion", SqlType.Varchar), ("managementEvent", SqlType.Boolean), ("recipientAccountId", SqlType.Varchar),
            ("serviceEventDetails", SqlType.Json), ("sharedEventID", SqlType.Varchar), ("vpcEndpointId", SqlType.Varchar),
            ("vpcEndpointAccountId", SqlType.Varchar), ("eventCategory", SqlType.Varchar),
            ("sessionCredentialFromConsole", SqlType.Varchar), ("tlsDetails", SqlType.Json), ("addendum", SqlType.Json),
            ("edgeDeviceDetails", SqlType.Json),
        ];
        (string Path, SqlType Type)[] nested =
        [
            ("userIdentity.type", SqlType.Varchar), ("userIdentity.principalId", SqlType.Varchar), ("userIdentity.arn", SqlType.Varchar),
            ("userIdentity.accountId", SqlType.Varchar), ("userIdentity.accessKeyId", SqlType.Varchar),
            ("userIdentity.userName", SqlType.Varchar), ("userIdentity.invokedBy", SqlType.Varchar),
            ("userIdentity.identityProvider", SqlType.Varchar), ("userIdentity.credentialId", SqlType.Varchar),
            ("userIdentity.sessionContext", SqlType.Json),
            ("userIdentity.sessionContext.attributes.creationDate", SqlType.Varchar),
            ("userIdentity.sessionContext.attributes.mfaAuthenticated", SqlType.Varchar),
            ("userIdentity.sessionContext.sessionIssuer.type", SqlType.Varchar),
            ("userIdentity.sessionContext.sessionIssuer.principalId", SqlType.Varchar),
            ("userIdentity.sessionContext.sessionIssuer.arn", SqlType.Varchar),
            ("userIdentity.sessionContext.sessionIssuer.accountId", SqlType.Varchar),
            ("userIdentity.sessionContext.sessionIssuer.userName", SqlType.Varchar),
            ("userIdentity.sessionContext.webIdFederationData.federatedProvider", SqlType.Varchar),
            ("userIdentity.sessionContext.webIdFederationData.attributes", SqlType.Json),
            ("userIdentity.sessionContext.sourceIdentity", SqlType.Varchar),
            ("userIdentity.sessionContext.ec2RoleDelivery", SqlType.Varchar),
            ("userIdentity.onBehalfOf.userId", SqlType.Varchar), ("userIdentity.onBehalfOf.identityStoreArn", SqlType.Varchar),
            ("tlsDetails.tlsVersion", SqlType.Varchar), ("tlsDetails.cipherSuite", SqlType.Varchar),
            ("tlsDetails.clientProvidedHostHeader", SqlType.Varchar),
        ];
        var starColumns = top.Select(Column).ToList();
        // The archive's partitions: recipientAccountId is the account (the user's account only without it), awsRegion the region.
        return new SqlTable([.. starColumns, .. nested.Select(Column)], starColumns, Platform.Contracts.Ingestion.LogSourceTypes.CloudTrail,
            new SqlTablePartitions("eventTime", null, "recipientAccountId", "awsRegion"));

        SqlColumn Column((string Path, SqlType Type) field)
        {
            var (path, type) = field;
            if (path == "eventTime")
            {
                // Ingestion parsed it into the indexed event_time column.
                return new SqlColumn(path, type, "e.event_time");
            }
            var segments = path.Split('.');
            return new SqlColumn(path, type, type switch
            {
                SqlType.Json => dialect.Json(segments),
                SqlType.Boolean => $"(CASE lower({dialect.Text(segments)}) WHEN 'true' THEN true WHEN 'false' THEN false END)",
                _ => dialect.Text(segments),
            });
        }
    }
}

/// <summary>
/// The columns of a table that say which archive partitions (Hive: <c>account=</c>, <c>region=</c>, <c>dt=</c>, <c>hour=</c>)
/// can hold its matching rows: the event time, the day (<c>YYYY/MM/DD</c>), the account and the region; null where the
/// table has none.
/// </summary>
public sealed record SqlTablePartitions(string? Time, string? Day, string? Account, string? Region);
