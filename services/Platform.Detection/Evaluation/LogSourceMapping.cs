namespace Platform.Detection.Evaluation;

/// <summary>Which Sigma log source each ingested source type is (see Platform.Sigma's README for the documents).</summary>
public static class LogSourceMapping
{
    public static bool TryGet(string sourceType, out SigmaLogSource logSource)
    {
        switch (sourceType)
        {
            case LogSourceTypes.CloudTrail:
                logSource = SigmaLogSources.CloudTrail;
                return true;
            case LogSourceTypes.VpcFlow:
                logSource = SigmaLogSources.VpcFlowLogs;
                return true;
            case LogSourceTypes.Application:
                logSource = SigmaLogSources.Application;
                return true;
            case LogSourceTypes.Text:
                logSource = SigmaLogSources.Text;
                return true;
            default:
                logSource = default;
                return false;
        }
    }
}
