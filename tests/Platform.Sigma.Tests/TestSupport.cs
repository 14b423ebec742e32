using System.Text.Json;
using Platform.Sigma.Parsing;

namespace Platform.Sigma.Tests;

/// <summary>Locates the shared reference material next to the repository.</summary>
internal static class SharedData
{
    private static readonly Lazy<string> s_sharedRoot = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null
               && !File.Exists(Path.Combine(directory.FullName, "Platform.sln"))
               && !File.Exists(Path.Combine(directory.FullName, "Directory.Build.props")))
        {
            directory = directory.Parent;
        }

        // tests/Directory.Build.props exists too; the repository root is the one holding Directory.Packages.props.
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Directory.Packages.props")))
        {
            directory = directory.Parent;
        }

        Assert.True(directory is not null, $"repository root not found above {AppContext.BaseDirectory}");
        return Path.GetFullPath(Path.Combine(directory!.FullName, "..", "shared"));
    });

    public static string RulesDirectory => ExistingDirectory(Path.Combine(s_sharedRoot.Value, "sigma", "rules"));

    public static string StratusDirectory => ExistingDirectory(Path.Combine(s_sharedRoot.Value, "data", "cloudtrail", "stratus-detonations"));

    private static string ExistingDirectory(string path)
    {
        Assert.True(Directory.Exists(path), $"shared reference folder '{path}' is missing");
        return path;
    }
}

/// <summary>Builds rules and events for tests.</summary>
internal static class Sigma
{
    /// <summary>Compiles a CloudTrail rule from its detection section (indented by four spaces in the YAML).</summary>
    public static SigmaRule Rule(string detection, SigmaCompilerOptions? options = null) =>
        new SigmaRuleCompiler(options).Compile(SigmaRuleParser.ParseOrThrow(RuleYaml(detection), "test.yml").Single());

    public static string RuleYaml(string detection, string title = "Test rule", string? extra = null) =>
        $"""
        title: {title}
        {extra ?? ""}
        logsource:
            product: aws
            service: cloudtrail
        detection:
        {Indent(detection.Trim('\n'))}
        """;

    public static SigmaRuleException CompileError(string detection, SigmaCompilerOptions? options = null) =>
        Assert.Throws<SigmaRuleException>(() => Rule(detection, options));

    public static bool Matches(this SigmaRule rule, string json) =>
        rule.Matches(new SigmaEvent(Json(json), SigmaLogSources.CloudTrail));

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    private static string Indent(string text) =>
        string.Join('\n', text.Split('\n').Select(line => line.Length == 0 ? line : "    " + line));
}
