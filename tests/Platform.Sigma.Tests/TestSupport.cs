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

    /// <summary>Compiles a rule whose condition is the one selection <paramref name="fields"/>, e.g. <c>eventName|startswith: 'Delete'</c>.</summary>
    public static SigmaRule Selection(string fields, SigmaCompilerOptions? options = null) => Rule(SelectionDetection(fields), options);

    /// <summary>The compile error of a rule whose condition is the one selection <paramref name="fields"/>.</summary>
    public static SigmaRuleException SelectionError(string fields, SigmaCompilerOptions? options = null) =>
        CompileError(SelectionDetection(fields), options);

    /// <summary>Asserts the rule matches each event of <paramref name="matching"/> and none of <paramref name="notMatching"/>.</summary>
    public static void AssertMatches(this SigmaRule rule, string[] matching, string[] notMatching)
    {
        Assert.All(matching, json => Assert.True(rule.Matches(json), $"does not match {json}"));
        Assert.All(notMatching, json => Assert.False(rule.Matches(json), $"matches {json}"));
    }

    public static bool Matches(this SigmaRule rule, string json) =>
        rule.Matches(new SigmaEvent(Json(json), SigmaLogSources.CloudTrail));

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    private static string SelectionDetection(string fields) => $"selection:\n    {fields}\ncondition: selection";

    private static string Indent(string text) =>
        string.Join('\n', text.Split('\n').Select(line => line.Length == 0 ? line : "    " + line));
}
