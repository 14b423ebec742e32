using System.Globalization;

namespace Platform.Archiver.Api;

/// <summary>
/// The <c>CREATE EXTERNAL TABLE</c> statements for the archive, one per source type Athena users ask about (CloudTrail and
/// VPC flow logs), with partition projection over the Hive layout so no partition is ever added by hand.
/// </summary>
public static class AthenaDdl
{
    public static readonly IReadOnlyList<(string SourceType, string Table)> Tables =
        [(LogSourceTypes.CloudTrail, "platform_cloudtrail"), (LogSourceTypes.VpcFlow, "platform_vpcflow")];

    /// <summary>The first day partition projection considers: CloudTrail's first year (a query names its days anyway).</summary>
    public const string ProjectionStart = "2013-01-01";

    public static string For(ArchiveLayout layout, string bucket) =>
        string.Join("\n\n", Tables.Select(table => Statement(table.Table, $"s3://{bucket}/{layout.SourcePrefix(table.SourceType)}")));

    private static string Statement(string table, string location) => string.Create(CultureInfo.InvariantCulture, $$"""
        CREATE EXTERNAL TABLE IF NOT EXISTS {{table}} (
          event_id     string,
          event_time   timestamp,
          ingested_at  timestamp,
          log_group    string,
          log_stream   string,
          event_source string,
          event_name   string,
          principal    string,
          source_ip    string,
          error_code   string,
          record       string
        )
        PARTITIONED BY (account string, region string, dt string, hour string)
        STORED AS PARQUET
        LOCATION '{{location}}'
        TBLPROPERTIES (
          'parquet.compression' = 'ZSTD',
          'projection.enabled' = 'true',
          'projection.account.type' = 'injected',
          'projection.region.type' = 'enum',
          'projection.region.values' = '{{string.Join(",", Regions)}}',
          'projection.dt.type' = 'date',
          'projection.dt.format' = 'yyyy-MM-dd',
          'projection.dt.range' = '{{ProjectionStart}},NOW',
          'projection.dt.interval' = '1',
          'projection.dt.interval.unit' = 'DAYS',
          'projection.hour.type' = 'integer',
          'projection.hour.range' = '0,23',
          'projection.hour.digits' = '2',
          'storage.location.template' = '{{location}}account=${account}/region=${region}/dt=${dt}/hour=${hour}/'
        );
        """);

    /// <summary>The regions partition projection enumerates (with <c>unknown</c>, for events that carried none).</summary>
    private static readonly string[] Regions =
    [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-south-1", "ap-south-2", "ap-southeast-1",
        "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ca-central-1",
        "ca-west-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1",
        "il-central-1", "me-south-1", "me-central-1", "sa-east-1", ArchiveLayout.Unknown,
    ];
}
