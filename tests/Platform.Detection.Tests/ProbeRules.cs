namespace Platform.Detection.Tests;

/// <summary>
/// Sigma YAML of the custom rules the tests provision: each matches only the synthetic probe events
/// (<see cref="CloudTrail.Synthetic"/>) of its own event name, so no test sees another's findings.
/// </summary>
internal static class ProbeRules
{
    /// <summary>A high-severity rule (ATT&amp;CK T1580); <paramref name="selection"/> adds a condition, e.g. <c>userAgent: x</c>.</summary>
    public static string Custom(string id, string eventName, string selection = "") => Yaml($"""
        title: Probe {eventName}
        id: {id}
        description: A custom rule for the tests.
        level: high
        tags:
            - attack.discovery
            - attack.t1580
        """, eventName, selection);

    /// <summary>
    /// A failed-login probe rule (<paramref name="baseId"/>) and the correlation (<paramref name="correlationId"/>) counting it:
    /// three from one source address within five minutes raise a finding.
    /// </summary>
    public static string LoginBurst(string eventName, string baseId, string correlationId) => $"""
        {Yaml($"title: Failed probe login {eventName}\nid: {baseId}\nname: failed_probe_login_{eventName}\nlevel: low", eventName)}
        ---
        title: Burst of failed probe logins {eventName}
        id: {correlationId}
        correlation:
            type: event_count
            rules:
                - failed_probe_login_{eventName}
            group-by:
                - sourceIPAddress
            timespan: 5m
            condition:
                gte: 3
        level: high
        """;

    /// <summary>A rule of <paramref name="header"/> (title, id, name, level: what tells it apart) matching <paramref name="eventName"/>.</summary>
    private static string Yaml(string header, string eventName, string selection = "") => $"""
        {header}
        logsource:
            product: aws
            service: cloudtrail
        detection:
            selection:
                eventSource: probe.platform.test
                eventName: {eventName}
                {selection}
            condition: selection
        """;
}
