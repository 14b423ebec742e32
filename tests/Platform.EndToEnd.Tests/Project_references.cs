using System.Xml.Linq;

namespace Platform.EndToEnd.Tests;

/// <summary>References point one way: services → libraries → contracts (README, "Architecture").</summary>
public sealed class Project_references
{
    private static readonly string Root = SharedData.RepositoryRoot;

    public static TheoryData<string> Projects() => new(ProjectFiles());

    private static IEnumerable<string> ProjectFiles() =>
        new[] { "services", "contracts", "apphost" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Root, folder), "*.csproj", SearchOption.AllDirectories))
            .Select(project => Path.GetRelativePath(Root, project).Replace('\\', '/'));

    [Theory]
    [MemberData(nameof(Projects))]
    public void A_project_references_only_what_its_layer_may(string project)
    {
        var layer = LayerOf(project);
        foreach (var referenced in ReferencesOf(project))
        {
            var target = LayerOf(referenced);
            var allowed = layer switch
            {
                Layer.AppHost => target is Layer.Service or Layer.Library,
                Layer.Service => target is Layer.Library or Layer.Contracts,
                Layer.Library => target is Layer.Library or Layer.Contracts,
                _ => false,
            };
            Assert.True(allowed, $"{project} ({layer}) references {referenced} ({target})");
        }
    }

    [Fact]
    public void The_libraries_reference_each_other_without_a_cycle()
    {
        var libraries = ProjectFiles().Where(p => LayerOf(p) == Layer.Library).ToList();
        var graph = libraries.ToDictionary(p => p, p => ReferencesOf(p).Where(r => LayerOf(r) == Layer.Library).ToList());

        foreach (var library in libraries)
        {
            var reachable = new HashSet<string>();
            var pending = new Stack<string>(graph[library]);
            while (pending.TryPop(out var next))
            {
                Assert.NotEqual(library, next);
                if (reachable.Add(next))
                {
                    graph[next].ForEach(pending.Push);
                }
            }
        }
    }

    private enum Layer { Contracts, Library, Service, AppHost, Other }

    private static Layer LayerOf(string project) => project.Replace('\\', '/') switch
    {
        var p when p.StartsWith("contracts/", StringComparison.Ordinal) => Layer.Contracts,
        var p when p.StartsWith("services/libraries/", StringComparison.Ordinal) => Layer.Library,
        var p when p.StartsWith("services/", StringComparison.Ordinal) => Layer.Service,
        var p when p.StartsWith("apphost/", StringComparison.Ordinal) => Layer.AppHost,
        _ => Layer.Other,
    };

    private static IEnumerable<string> ReferencesOf(string project)
    {
        var directory = Path.GetDirectoryName(Path.Combine(Root, project))!;
        return XDocument.Load(Path.Combine(Root, project)).Descendants("ProjectReference")
            .Select(reference => reference.Attribute("Include")!.Value.Replace('\\', '/'))
            .Select(include => Path.GetRelativePath(Root, Path.GetFullPath(Path.Combine(directory, include))).Replace('\\', '/'))
            .ToList();
    }
}
