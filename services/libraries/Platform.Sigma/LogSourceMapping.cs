using Platform.Contracts.Ingestion;

namespace Platform.Sigma;

/// <summary>Which Sigma log source each ingested source type is (see Platform.Sigma's README for the documents).</summary>
public static class LogSourceMapping
{
    /// <summary>The Sigma log source of a source type; null for a type no rule is written for.</summary>
    public static SigmaLogSource? Of(string sourceType) => sourceType switch
    {
        LogSourceTypes.CloudTrail => SigmaLogSources.CloudTrail,
        LogSourceTypes.VpcFlow => SigmaLogSources.VpcFlowLogs,
        LogSourceTypes.Application => SigmaLogSources.Application,
        LogSourceTypes.Text => SigmaLogSources.Text,
        _ => null,
    };
}
