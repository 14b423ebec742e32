namespace Platform.Testing;

/// <summary>Sigma rules the Sigma tests and the benchmarks build their rule sets from, as YAML.</summary>
public static class SigmaRuleSamples
{
    /// <summary>
    /// Failed logins (<c>status: FAILED</c>) of the application log source, named <c>login_failed</c> for the
    /// correlations that count them.
    /// </summary>
    public const string LoginFailed = """
        title: Failed login
        name: login_failed
        logsource:
            product: aws
            service: application
        detection:
            selection:
                status: FAILED
            condition: selection
        """;
}
