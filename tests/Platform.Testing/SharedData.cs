namespace Platform.Testing;

/// <summary>The real AWS samples and Sigma rules in ../shared beside the repository.</summary>
public static class SharedData
{
    // Initialised in this order: the shared folder is found from the repository root.
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Root { get; } = Locate();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

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
