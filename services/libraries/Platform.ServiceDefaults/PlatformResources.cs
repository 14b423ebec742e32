namespace Platform.ServiceDefaults;

/// <summary>Resource names shared by the AppHost, the services' configuration and the tests.</summary>
public static class PlatformResources
{
    public const string Postgres = "postgres";
    public const string RabbitMq = PlatformBus.ConnectionName;
    public const string Kinesis = "kinesis";

    public const string Ingestion = "ingestion";
    public const string Detection = "detection";
    public const string Compliance = "compliance";
    public const string Alerting = "alerting";
    public const string Provisioning = "provisioning";
    public const string Archiver = "archiver";

    public const string IngestionDb = "ingestiondb";
    public const string DetectionDb = "detectiondb";
    public const string ComplianceDb = "compliancedb";
    public const string AlertingDb = "alertingdb";
    public const string ProvisioningDb = "provisioningdb";
    public const string ArchiverDb = "archiverdb";

    /// <summary>The fixed local ports of DESIGN.md.</summary>
    public static class LocalPorts
    {
        public const int Ingestion = 5101;
        public const int Detection = 5102;
        public const int Compliance = 5103;
        public const int Alerting = 5104;
        public const int Provisioning = 5105;
        public const int Archiver = 5107;
        public const int ArchiveS3 = 54569;
        public const int Dashboard = 18888;
        public const int Postgres = 55432;
        public const int RabbitMq = 55672;
        public const int Kinesis = 54567;
    }
}
