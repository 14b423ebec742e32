using System.Reflection;
using System.Text.RegularExpressions;
using Platform.Sigma.Parsing;

namespace Platform.Detection.Tests.Rules;

/// <summary>The built-in rule files: they load, compile, and carry the metadata findings are built from.</summary>
public partial class Built_in_rules
{
    private static IEnumerable<SigmaRuleDefinition> Definitions =>
        RuleHarness.BuiltinFiles.SelectMany(f => f.Rules.Select(r => r.Definition).Concat(f.Correlations));

    [GeneratedRegex(@"^attack\.(t\d{4}(\.\d{3})?|[a-z]+(-[a-z]+)*)$")]
    private static partial Regex AttackTag();

    [Fact]
    public void Every_file_loads_and_compiles_without_errors()
    {
        Assert.NotEmpty(RuleHarness.BuiltinFiles);
        Assert.All(RuleHarness.BuiltinFiles, file => Assert.Empty(file.Errors));
        Assert.NotEmpty(RuleHarness.Builtin.Correlations);
    }

    [Fact]
    public void They_load_together_with_the_SigmaHQ_rules()
    {
        var builtinKeys = RuleHarness.Builtin.Rules.Select(r => r.Key).Concat(RuleHarness.Builtin.Correlations.Select(c => c.Key));

        Assert.All(builtinKeys, key => Assert.Contains(key, RuleHarness.Shipped.Rules.Select(r => r.Key).Concat(RuleHarness.Shipped.Correlations.Select(c => c.Key))));
    }

    [Fact]
    public void Each_file_reports_exactly_one_rule()
    {
        Assert.All(RuleHarness.BuiltinFiles, file =>
        {
            // A correlation with generate: true over signals keeps its steps raising their signals: they are not what
            // the file reports.
            var steps = file.Correlations.Where(c => c.Correlation!.Generate).SelectMany(c => c.Correlation!.Rules).ToHashSet(StringComparer.Ordinal);
            var reported = file.Rules.Select(r => r.Definition).Concat(file.Correlations)
                .Where(d => RuleHarness.Shipped.GeneratesResults(d.Key))
                .Where(d => !(RuleHarness.Signals.Contains(d.Key) && (steps.Contains(d.Key) || (d.Name is not null && steps.Contains(d.Name)))))
                .ToList();
            Assert.True(reported.Count == 1, $"{Path.GetFileName(file.Path)} reports {reported.Count} rules");
        });
    }

    [Fact]
    public void Every_rule_has_a_unique_uuid_id_and_the_metadata_findings_need()
    {
        var definitions = Definitions.ToList();

        Assert.Equal(definitions.Count, definitions.Select(d => d.Id).Distinct().Count());
        Assert.All(definitions, d =>
        {
            Assert.True(Guid.TryParse(d.Id, out _), $"{d.Title}: id '{d.Id}' is not a UUID");
            Assert.Equal("Platform detection engineering", d.Author);
            Assert.False(string.IsNullOrWhiteSpace(d.Description), d.Title);
            Assert.NotEmpty(d.References);
            Assert.NotEmpty(d.FalsePositives);
            Assert.Equal("stable", d.Status);
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", d.Date);
            Assert.Contains(d.Level, new[] { "informational", "low", "medium", "high", "critical" });
            Assert.Contains(d.Tags, t => t.StartsWith("attack.t", StringComparison.Ordinal));
            Assert.All(d.Tags, t => Assert.Matches(AttackTag(), t));
        });
    }

    [Fact]
    public void No_built_in_id_is_taken_from_a_SigmaHQ_rule()
    {
        var sigmaHqIds = SigmaRuleLoader.LoadDirectory(SharedData.RulesDirectory).SelectMany(f => f.Rules).Select(r => r.Id).ToHashSet();

        Assert.DoesNotContain(Definitions, d => sigmaHqIds.Contains(d.Id));
    }

    [Fact]
    public void Every_id_the_tests_name_exists_in_the_shipped_rules()
    {
        var shipped = RuleHarness.Shipped.Rules.Select(r => r.Key).Concat(RuleHarness.Shipped.Correlations.Select(c => c.Key))
            .Concat(RuleHarness.Filtered.DisabledKeys).ToHashSet();
        var named = typeof(RuleIds).GetFields(BindingFlags.Public | BindingFlags.Static | BindingFlags.NonPublic)
            .Select(f => (Name: f.Name, Id: (string)f.GetValue(null)!));

        Assert.All(named, n => Assert.True(shipped.Contains(n.Id), $"RuleIds.{n.Name} = {n.Id} is not a shipped rule"));
    }

    [Fact]
    public void Building_blocks_are_informational_and_silent()
    {
        var silent = RuleHarness.Builtin.Rules.Where(r => !RuleHarness.Builtin.GeneratesResults(r.Key)).ToList();

        Assert.NotEmpty(silent);
        Assert.All(silent, r => Assert.Equal("informational", r.Level));
        Assert.All(RuleHarness.Builtin.Rules.Where(r => r.Level == "informational"), r => Assert.Contains(r, silent));
    }
}
