namespace Platform.Contracts.Ingestion;

/// <summary>The kinds of log event ingestion recognises.</summary>
public static class LogSourceTypes
{
    public const string CloudTrail = "cloudtrail";
    public const string VpcFlow = "vpcflow";
    public const string Application = "application";
    public const string Text = "text";

    public static readonly IReadOnlyList<string> All = [CloudTrail, VpcFlow, Application, Text];
}
