using System.Text.Json.Nodes;

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

    /// <summary>
    /// <see cref="FailedLogins"/> on a log group or publishing to a namespace of a test's own (where one is given), so
    /// tests that share a service do not count each other's log lines.
    /// </summary>
    public static JsonObject FailedLoginsOn(string? logGroupName = null, string? metricNamespace = null)
    {
        var filter = JsonNode.Parse(FailedLogins)!.AsObject();
        if (logGroupName is not null)
        {
            filter["logGroupName"] = logGroupName;
        }

        if (metricNamespace is not null)
        {
            filter["metricTransformations"]![0]!["metricNamespace"] = metricNamespace;
        }

        return filter;
    }
}
