namespace Platform.Sigma;

/// <summary>
/// What one Sigma file gave: its compiled detection rules, its correlation rule definitions (resolved later by
/// <see cref="SigmaRuleSet"/>, since they may refer to rules of other files), its filters (overrides of other
/// files' rules) and its errors.
/// </summary>
public sealed record SigmaRuleFile(
    string Path,
    IReadOnlyList<SigmaRule> Rules,
    IReadOnlyList<SigmaRuleDefinition> Correlations,
    IReadOnlyList<SigmaFilter> Filters,
    IReadOnlyList<SigmaRuleError> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    /// <summary>
    /// The key of the rule the file reports: its (last) correlation if it has one, else its first detection rule;
    /// null for a file of filters only. A sibling tests file's cases belong to it.
    /// </summary>
    public string? ReportedRuleKey => Correlations.LastOrDefault()?.Key ?? Rules.FirstOrDefault()?.Key;

    /// <summary>Every rule of the file that carries test cases (detection rules and correlations).</summary>
    public IEnumerable<SigmaRuleDefinition> TestedRules =>
        Rules.Select(r => r.Definition).Concat(Correlations).Where(d => d.Tests.Count > 0);
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
            .Where(p => (p.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
                        && TestsPathOf(p) != p)
            .Order(StringComparer.Ordinal)
            .Select(path => Load(path, compiler))
            .ToList();
    }

    /// <summary>Loads a rule file and, if it has one, its sibling <c>&lt;rule&gt;.tests.yml</c>.</summary>
    public static SigmaRuleFile LoadFile(string path, SigmaCompilerOptions? options = null) => Load(path, new SigmaRuleCompiler(options));

    /// <summary>Parses and compiles one Sigma document (possibly several YAML documents).</summary>
    public static SigmaRuleFile Load(string yaml, string source, SigmaCompilerOptions? options = null) =>
        Load(yaml, source, null, new SigmaRuleCompiler(options));

    /// <summary>
    /// Where a rule file's sibling test cases live: <c>x.yml</c> → <c>x.tests.yml</c>. A path that already ends in
    /// <c>.tests.yml</c> is its own (it is a tests file, not a rule file).
    /// </summary>
    public static string TestsPathOf(string rulePath)
    {
        ArgumentNullException.ThrowIfNull(rulePath);
        var extension = System.IO.Path.GetExtension(rulePath);
        var stem = rulePath[..^extension.Length];
        return stem.EndsWith(".tests", StringComparison.OrdinalIgnoreCase) ? rulePath : stem + ".tests" + extension;
    }

    /// <summary>
    /// Joins filters to the rules they name (<see cref="SigmaRule.WithFilter"/>), gives them the filters' dispositions
    /// and lists the rules they disable.
    /// A filter that names no rule of the files is an error: an override must not silently stop applying.
    /// </summary>
    public static SigmaFilteredFiles ApplyFilters(IEnumerable<SigmaRuleFile> files, IEnumerable<SigmaFilter> filters)
    {
        var filterList = filters.ToList();
        var fileList = files.ToList();
        var used = new HashSet<SigmaFilter>();
        var disabled = new HashSet<string>(StringComparer.Ordinal);
        var filtered = new List<SigmaRuleFile>(fileList.Count);
        foreach (var file in fileList)
        {
            var rules = new List<SigmaRule>(file.Rules.Count);
            foreach (var rule in file.Rules)
            {
                var current = rule;
                foreach (var filter in filterList.Where(f => f.AppliesTo(rule.Definition)))
                {
                    used.Add(filter);
                    current = current.WithFilter(filter);
                    if (filter.Definition.Disposition is { } disposition)
                    {
                        current = current.WithDisposition(disposition);
                    }

                    if (filter.Disables)
                    {
                        disabled.Add(rule.Key);
                    }
                }

                rules.Add(current);
            }

            var correlations = new List<SigmaRuleDefinition>(file.Correlations.Count);
            foreach (var correlation in file.Correlations)
            {
                var current = correlation;
                foreach (var filter in filterList.Where(f => f.AppliesTo(correlation)))
                {
                    used.Add(filter);
                    current = filter.Definition.Disposition is { } disposition ? current with { Disposition = disposition } : current;
                    if (filter.Disables)
                    {
                        disabled.Add(correlation.Key);
                    }
                }

                correlations.Add(current);
            }

            filtered.Add(file with { Rules = rules, Correlations = correlations });
        }

        var errors = filterList.Where(f => !used.Contains(f))
            .Select(f => f.Definition.Error(f.Definition.Filter!.Line, 0, $"the filter names no loaded rule ({string.Join(", ", f.Rules)})"))
            .ToList();
        return new SigmaFilteredFiles(filtered, disabled, errors);
    }

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

    private static SigmaRuleFile Load(string path, SigmaRuleCompiler compiler)
    {
        var testsPath = TestsPathOf(path);
        return Load(File.ReadAllText(path), path, File.Exists(testsPath) ? testsPath : null, compiler);
    }

    /// <summary>
    /// Parses and compiles a file; a sibling tests file's cases belong to the rule the file reports: its
    /// correlation if it has one, else its first rule.
    /// </summary>
    private static SigmaRuleFile Load(string yaml, string source, string? testsPath, SigmaRuleCompiler compiler)
    {
        var parsed = SigmaRuleParser.Parse(yaml, source);
        var rules = parsed.Rules;
        var errors = parsed.Errors.ToList();
        if (testsPath is not null)
        {
            var (tests, testErrors) = SigmaRuleParser.ParseTests(File.ReadAllText(testsPath), testsPath);
            errors.AddRange(testErrors);
            var target = rules.LastOrDefault(r => r.Correlation is not null) ?? rules.FirstOrDefault(r => r.Filter is null);
            if (target is null)
            {
                errors.Add(new SigmaRuleError(testsPath, null, null, 1, 1, $"'{source}' holds no rule for these tests"));
            }
            else
            {
                rules = [.. rules.Select(r => ReferenceEquals(r, target) ? r with { Tests = [.. r.Tests, .. tests] } : r)];
            }
        }

        var compiled = compiler.CompileAll(rules);
        return new SigmaRuleFile(source, compiled.Rules, compiled.Correlations, compiled.Filters, [.. errors, .. compiled.Errors]);
    }
}

/// <summary>Files with their filters applied, the keys of the rules filters disable, and the filters that named no rule.</summary>
public sealed record SigmaFilteredFiles(IReadOnlyList<SigmaRuleFile> Files, IReadOnlySet<string> DisabledKeys, IReadOnlyList<SigmaRuleError> Errors);
