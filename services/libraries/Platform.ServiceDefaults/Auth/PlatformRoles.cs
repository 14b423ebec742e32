namespace Platform.ServiceDefaults.Auth;

/// <summary>The roles an API key can hold.</summary>
public static class PlatformRoles
{
    /// <summary>Everything.</summary>
    public const string Admin = "admin";

    /// <summary>Reads everything; acknowledges, resolves and suppresses findings.</summary>
    public const string Analyst = "analyst";

    /// <summary>The ingest endpoints only.</summary>
    public const string Ingest = "ingest";

    public static readonly IReadOnlyList<string> All = [Admin, Analyst, Ingest];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}

/// <summary>Authorization policies, named by what they allow.</summary>
public static class PlatformPolicies
{
    /// <summary>admin.</summary>
    public const string Administer = "administer";

    /// <summary>admin or analyst: read anything, triage findings.</summary>
    public const string Read = "read";

    /// <summary>admin or ingest: deliver logs.</summary>
    public const string Ingest = "ingest";
}
