namespace Platform.Testing;

/// <summary>The real AWS samples and Sigma rules in ../shared beside the repository.</summary>
public static class SharedData
{
    private static readonly Lazy<string> s_root = new(Locate);

    private static readonly Lazy<string> s_repositoryRoot = new(FindRepositoryRoot);

    /// <summary>The checkout (the folder holding Platform.sln), found from the running binary on first use.</summary>
    public static string RepositoryRoot => s_repositoryRoot.Value;

    /// <summary>The shared folder; looked for on first use, so tests that need only the repository do not need it.</summary>
    public static string Root => s_root.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The SigmaHQ CloudTrail rules, as SigmaHQ ships them.</summary>
    public static string RulesDirectory => PathOf("sigma", "rules");

    /// <summary>CloudTrail records of Stratus Red Team detonations, one technique a file.</summary>
    public static string StratusDirectory => PathOf("data", "cloudtrail", "stratus-detonations");

    /// <summary>The detection service's built-in Sigma rules, in the repository.</summary>
    public static string BuiltinRulesDirectory => Path.Combine(RepositoryRoot, "services", "Platform.Detection", "Rules", "builtin");

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(TestServers.SharedDirVariable);
        var root = string.IsNullOrEmpty(fromEnvironment)
            ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"))
            : fromEnvironment;
        return Directory.Exists(Path.Combine(root, "data"))
            ? root
            : throw new DirectoryNotFoundException($"The shared samples are not at {root}: clone the repository with ../shared beside it.");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("Platform.sln not found above " + AppContext.BaseDirectory);
    }
}
