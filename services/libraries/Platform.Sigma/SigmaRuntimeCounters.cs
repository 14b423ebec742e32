namespace Platform.Sigma;

/// <summary>Process-wide counters a host can export as metrics.</summary>
public static class SigmaRuntimeCounters
{
    private static long s_regexTimeouts;

    /// <summary>Regex matches abandoned because they exceeded the match timeout (counted as no match).</summary>
    public static long RegexTimeouts => Interlocked.Read(ref s_regexTimeouts);

    internal static void CountRegexTimeout() => Interlocked.Increment(ref s_regexTimeouts);
}
