namespace Platform.Sigma.Tests;

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
