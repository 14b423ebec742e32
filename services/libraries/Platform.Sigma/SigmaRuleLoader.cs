namespace Platform.Sigma;

/// <summary>
/// What one Sigma file gave: its compiled detection rules, its correlation rule definitions (resolved later by
/// <see cref="SigmaRuleSet"/>, since they may refer to rules of other files) and its errors.
/// </summary>
public sealed record SigmaRuleFile(
    string Path,
    IReadOnlyList<SigmaRule> Rules,
    IReadOnlyList<SigmaRuleDefinition> Correlations,
    IReadOnlyList<SigmaRuleError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>Loads Sigma rule files (<c>*.yml</c>, <c>*.yaml</c>), reporting rules or errors per file.</summary>
public static class SigmaRuleLoader
{
    /// <summary>Loads every rule file under <paramref name="directory"/> (recursively), in path order.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static IReadOnlyList<SigmaRuleFile> LoadDirectory(string directory, SigmaCompilerOptions? options = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Sigma rule directory '{directory}' does not exist");
        }

        var compiler = new SigmaRuleCompiler(options);
        return Directory.EnumerateFiles(directory, "*.*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(path => Load(File.ReadAllText(path), path, compiler))
            .ToList();
    }

    public static SigmaRuleFile LoadFile(string path, SigmaCompilerOptions? options = null) =>
        Load(File.ReadAllText(path), path, new SigmaRuleCompiler(options));

    /// <summary>Parses and compiles one Sigma document (possibly several YAML documents).</summary>
    public static SigmaRuleFile Load(string yaml, string source, SigmaCompilerOptions? options = null) =>
        Load(yaml, source, new SigmaRuleCompiler(options));

    /// <summary>Builds a rule set from loaded files; fails if any file has errors or references do not resolve.</summary>
    /// <exception cref="SigmaRuleException">Listing the errors of every file.</exception>
    public static SigmaRuleSet CreateRuleSet(IEnumerable<SigmaRuleFile> files)
    {
        var list = files.ToList();
        var errors = list.SelectMany(f => f.Errors).ToList();
        if (errors.Count > 0)
        {
            throw new SigmaRuleException(errors);
        }

        return SigmaRuleSet.Create(list.SelectMany(f => f.Rules), list.SelectMany(f => f.Correlations));
    }

    private static SigmaRuleFile Load(string yaml, string source, SigmaRuleCompiler compiler)
    {
        var parsed = SigmaRuleParser.Parse(yaml, source);
        var compiled = compiler.CompileAll(parsed.Rules);
        return new SigmaRuleFile(source, compiled.Rules, compiled.Correlations, [.. parsed.Errors, .. compiled.Errors]);
    }
}
