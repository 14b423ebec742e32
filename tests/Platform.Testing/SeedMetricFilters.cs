namespace Platform.Testing;

/// <summary>
/// The seed's metric filter (<c>../shared/seed/aws-security-logging.md</c>), as its <c>put_metric_filter</c> call writes
/// it: one copy for the tests that provision it (at provisioning's door and in alerting's counting).
/// </summary>
public static class SeedMetricFilters
{
    /// <summary>The seed's <c>FailedLogins</c> call, its keyword arguments as JSON.</summary>
    public const string FailedLogins =
        """
        {
          "logGroupName": "/aws/security/auth",
          "filterName": "FailedLogins",
          "filterPattern": "{ $.status = \"FAILED\" && $.eventType = \"LOGIN\" }",
          "metricTransformations": [
            {
              "metricName": "FailedLoginCount",
              "metricNamespace": "Security/Authentication",
              "metricValue": "1",
              "defaultValue": 0,
              "dimensions": { "SourceIP": "$.sourceIP" }
            }
          ]
        }
        """;
}
