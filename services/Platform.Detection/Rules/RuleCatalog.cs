using Platform.Sigma.Parsing;

namespace Platform.Detection.Rules;

/// <summary>
/// The rules this instance evaluates: SigmaHQ's and the built-in ones shipped beside the binary, plus the
/// custom rules provisioned live. Every change compiles a new <see cref="CompiledRules"/> and swaps it in
/// atomically, so a batch in flight keeps the generation it started with. A rule that fails to load is
/// logged and listed in <see cref="CompiledRules.Errors"/>, never silently dropped.
/// </summary>
public sealed partial class RuleCatalog
{
    public const string SigmaHqFolder = "sigmahq";
    public const string BuiltinFolder = "builtin";
    public const string OverridesFolder = "overrides";

    private readonly Lock _lock = new();
    private readonly List<RuleUnit> _shipped = [];
    private readonly SortedDictionary<string, RuleUnit> _custom = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, RuleSettingSpec> _settings = new(StringComparer.Ordinal);
    private readonly ICorrelationWindowStore _windows;
    private readonly ILogger<RuleCatalog> _logger;
    private CompiledRules _current;

    public RuleCatalog(ICorrelationWindowStore windows, ILogger<RuleCatalog> logger)
    {
        _windows = windows;
        _logger = logger;
        _current = new CompiledRules(SigmaRuleSet.Empty, windows, [], []);
    }

    /// <summary>The current generation; read it once per batch.</summary>
    public CompiledRules Current => Volatile.Read(ref _current);

    /// <summary>
    /// Loads <c>sigmahq/</c> and <c>builtin/</c> under <paramref name="rulesDirectory"/>, with the Sigma filters of
    /// <c>overrides/</c> joined to the rules they name (a rule an override disables is listed, not evaluated).
    /// </summary>
    public void LoadShipped(string rulesDirectory)
    {
        lock (_lock)
        {
            _shipped.Clear();
            var loaded = new List<(RuleOrigin Origin, SigmaRuleFile File)>();
            foreach (var (folder, origin) in new[] { (SigmaHqFolder, RuleOrigin.Sigmahq), (BuiltinFolder, RuleOrigin.Builtin), (OverridesFolder, RuleOrigin.Override) })
            {
                var directory = Path.Combine(rulesDirectory, folder);
                if (!Directory.Exists(directory))
                {
                    LogFolderMissing(directory);
                    continue;
                }

                loaded.AddRange(SigmaRuleLoader.LoadDirectory(directory).Select(file => (origin, file)));
            }

            var filtered = SigmaRuleLoader.ApplyFilters(
                loaded.Where(l => l.Origin != RuleOrigin.Override).Select(l => l.File),
                loaded.Where(l => l.Origin == RuleOrigin.Override && l.File.Succeeded).SelectMany(l => l.File.Filters));
            var next = 0;
            foreach (var (origin, file) in loaded)
            {
                var source = Path.GetRelativePath(rulesDirectory, file.Path);
                if (origin == RuleOrigin.Override)
                {
                    var unmatched = filtered.Errors.Where(e => e.Source == file.Path);
                    _shipped.Add(Unit(origin, source, file with { Errors = [.. file.Errors, .. unmatched] }, enabled: true, File.ReadAllText(file.Path)));
                    continue;
                }

                // ApplyFilters keeps the files' order.
                var rules = filtered.Files[next++];
                var disabled = rules.Rules.Select(r => r.Key).Concat(rules.Correlations.Select(c => c.Key)).Any(filtered.DisabledKeys.Contains);
                // A hunt by id compiles the rule's file as shipped: the overrides' filters are not applied to it.
                _shipped.Add(Unit(origin, source, rules, enabled: !disabled, File.ReadAllText(file.Path)));
            }

            Rebuild();
        }
    }

    /// <summary>Adds or replaces a custom rule (enabled or not).</summary>
    public void UpsertCustom(string name, DetectionRuleSpec spec)
    {
        lock (_lock)
        {
            var source = "custom:" + name;
            _custom[name] = Unit(RuleOrigin.Custom, source, SigmaRuleLoader.Load(spec.Yaml, source), spec.Enabled, spec.Yaml);
            Rebuild();
        }
    }

    public void RemoveCustom(string name)
    {
        lock (_lock)
        {
            if (_custom.Remove(name))
            {
                Rebuild();
            }
        }
    }

    /// <summary>Adds or replaces a rule setting (<c>rule-settings</c>): a rule's disposition or enabled state over its files'.</summary>
    public void UpsertSetting(string name, RuleSettingSpec spec)
    {
        lock (_lock)
        {
            _settings[name] = spec;
            Rebuild();
        }
    }

    public void RemoveSetting(string name)
    {
        lock (_lock)
        {
            if (_settings.Remove(name))
            {
                Rebuild();
            }
        }
    }

    /// <summary>
    /// What a retro-hunt runs for the loaded rule with this id (a disabled custom rule too): the YAML of its file and,
    /// for a correlation, of the files of the rules it refers to (as far as they go), with the rule. Null when no
    /// loaded rule has the id.
    /// </summary>
    public (string Yaml, DetectionRuleInfo Rule)? HuntableRule(string ruleId)
    {
        lock (_lock)
        {
            var units = _shipped.Concat(_custom.Values).Where(u => u.Errors.Count == 0).ToList();
            if (units.SelectMany(u => InfosOf(u.File, u.Origin, u.Source, u.Enabled)).FirstOrDefault(r => r.Id == ruleId) is not { } rule)
            {
                return null;
            }

            var needed = new List<RuleUnit>();
            var references = new Queue<string>([rule.Key]);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (references.TryDequeue(out var reference))
            {
                if (!seen.Add(reference) || units.FirstOrDefault(u => Defines(u, reference)) is not { } unit)
                {
                    continue;
                }

                if (!needed.Contains(unit))
                {
                    needed.Add(unit);
                }

                foreach (var correlation in unit.File.Correlations.Where(c => Names(c, reference)))
                {
                    foreach (var referenced in correlation.Correlation!.Rules)
                    {
                        references.Enqueue(referenced);
                    }
                }
            }

            return (string.Join("\n---\n", needed.Select(u => u.Yaml)), rule);
        }

        static bool Names(SigmaRuleDefinition d, string reference) => d.Id == reference || d.Name == reference || d.Key == reference;

        static bool Defines(RuleUnit unit, string reference) =>
            unit.File.Rules.Any(r => Names(r.Definition, reference)) || unit.File.Correlations.Any(c => Names(c, reference));
    }

    private RuleUnit Unit(RuleOrigin origin, string source, SigmaRuleFile file, bool enabled, string yaml)
    {
        var errors = file.Errors.Select(e => ToLoadError(origin, source, e)).ToList();
        foreach (var error in errors)
        {
            LogRuleFailed(error.Origin, error.Source, error.Line, error.RuleTitle ?? error.RuleId ?? "(unnamed)", error.Reason);
        }

        return new RuleUnit(origin, source, file, enabled, errors, yaml);
    }

    /// <summary>
    /// Adds the units' detection rules one unit at a time, then their correlations (which may refer to rules of
    /// any unit), each only if the set still builds with it: a custom rule that clashes (duplicate id, unknown
    /// reference) is reported and left out instead of taking every other rule down.
    /// </summary>
    private void Rebuild()
    {
        var rules = new List<SigmaRule>();
        var correlations = new List<SigmaRuleDefinition>();
        var infos = new List<DetectionRuleInfo>();
        var errors = new List<RuleLoadError>();
        // A rule setting names a rule by id; when two name the same rule, the first by name counts.
        var settings = _settings
            .GroupBy(s => s.Value.RuleId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        var units = _shipped.Concat(_custom.Values).Select(u => u with { Enabled = EnabledOf(u, settings) }).ToList();
        var ruleSet = TryCreate(units.SelectMany(u => u.Errors.Count == 0 && u.Enabled ? u.File.Rules : []),
            units.SelectMany(u => u.Errors.Count == 0 && u.Enabled ? u.File.Correlations : []), out _);
        var accepted = new List<RuleUnit>();
        if (ruleSet is not null)
        {
            accepted.AddRange(units.Where(u => u.Errors.Count == 0 && u.Enabled));
        }
        else
        {
            // Something clashes: find out what, unit by unit, detection rules first.
            var withRules = new List<RuleUnit>();
            foreach (var unit in units.Where(u => u.Errors.Count == 0 && u.Enabled))
            {
                if (TryCreate(rules.Concat(unit.File.Rules), [], out var failure) is not null)
                {
                    rules.AddRange(unit.File.Rules);
                    withRules.Add(unit);
                }
                else
                {
                    errors.AddRange(Report(unit, failure!));
                }
            }

            // Correlations may refer to correlations of other units: add whatever builds until nothing more does.
            var pending = new List<RuleUnit>(withRules);
            var failures = new Dictionary<RuleUnit, SigmaRuleException>();
            for (var progress = true; progress;)
            {
                progress = false;
                foreach (var unit in pending.ToList())
                {
                    if (TryCreate(rules, correlations.Concat(unit.File.Correlations), out var failure) is not null)
                    {
                        correlations.AddRange(unit.File.Correlations);
                        accepted.Add(unit);
                        pending.Remove(unit);
                        progress = true;
                    }
                    else
                    {
                        failures[unit] = failure!;
                    }
                }
            }

            foreach (var unit in pending)
            {
                errors.AddRange(Report(unit, failures[unit]));
                rules.RemoveAll(r => unit.File.Rules.Contains(r));
            }

            ruleSet = TryCreate(rules, correlations, out _) ?? SigmaRuleSet.Empty;
        }

        foreach (var unit in units)
        {
            errors.AddRange(unit.Errors);
            if (unit.Errors.Count == 0 && (!unit.Enabled || accepted.Contains(unit)))
            {
                infos.AddRange(InfosOf(unit.File, unit.Origin, unit.Source, unit.Enabled).Select(info =>
                    settings.GetValueOrDefault(info.Id)?.Disposition is { } disposition ? info with { Disposition = disposition } : info));
            }
        }

        var ids = units.SelectMany(u => IdsOf(u.File)).ToHashSet(StringComparer.Ordinal);
        errors.AddRange(_settings.Where(s => !ids.Contains(s.Value.RuleId)).Select(s =>
            new RuleLoadError(RuleOrigin.Custom, SettingSource + s.Key, s.Value.RuleId, null, 0, 0, $"the rule setting names no loaded rule ('{s.Value.RuleId}')")));

        var compiled = new CompiledRules(ruleSet, _windows, infos, errors);
        Volatile.Write(ref _current, compiled);
        LogCatalogBuilt(compiled.ByKey.Count, compiled.RuleSet.Correlations.Count, errors.Count);
    }

    /// <summary>Where a rule setting's load error comes from: <c>rule-settings:&lt;name&gt;</c>.</summary>
    public const string SettingSource = ProvisioningKinds.RuleSettings + ":";

    private static IEnumerable<string> IdsOf(SigmaRuleFile file) => file.Rules.Select(r => r.Definition).Concat(file.Correlations).Select(d => d.Id ?? d.Key);

    /// <summary>A setting's <c>enabled</c> for any rule of the unit's file, else the unit's own.</summary>
    private static bool EnabledOf(RuleUnit unit, Dictionary<string, RuleSettingSpec> settings) =>
        IdsOf(unit.File).Select(id => settings.GetValueOrDefault(id)?.Enabled).FirstOrDefault(e => e is not null) ?? unit.Enabled;

    private static SigmaRuleSet? TryCreate(IEnumerable<SigmaRule> rules, IEnumerable<SigmaRuleDefinition> correlations, out SigmaRuleException? failure)
    {
        try
        {
            failure = null;
            return SigmaRuleSet.Create(rules, correlations);
        }
        catch (SigmaRuleException ex)
        {
            failure = ex;
            return null;
        }
    }

    private IEnumerable<RuleLoadError> Report(RuleUnit unit, SigmaRuleException failure)
    {
        foreach (var error in failure.Errors.Select(e => ToLoadError(unit.Origin, unit.Source, e)))
        {
            LogRuleFailed(error.Origin, error.Source, error.Line, error.RuleTitle ?? error.RuleId ?? "(unnamed)", error.Reason);
            yield return error;
        }
    }

    /// <summary>What findings need to know of each rule (detection and correlation) of a loaded file.</summary>
    internal static IEnumerable<DetectionRuleInfo> InfosOf(SigmaRuleFile file, RuleOrigin origin, string source, bool enabled) =>
        file.Rules.Select(r => r.Definition).Concat(file.Correlations).Select(d => new DetectionRuleInfo(
            d.Key,
            d.Id ?? d.Key,
            d.Title,
            d.Description,
            d.Level,
            RuleTags.SeverityOf(d.Level),
            origin,
            enabled,
            d.Correlation is not null,
            d.Tags,
            RuleTags.TechniquesOf(d.Tags),
            RuleTags.TacticsOf(d.Tags),
            source,
            d.Disposition is { } disposition ? Enum.Parse<FindingDisposition>(disposition, ignoreCase: true) : FindingDisposition.Alert));

    private static RuleLoadError ToLoadError(RuleOrigin origin, string source, SigmaRuleError error) =>
        new(origin, source, error.RuleId, error.RuleTitle, error.Line, error.Column, error.Reason);

    private sealed record RuleUnit(RuleOrigin Origin, string Source, SigmaRuleFile File, bool Enabled, IReadOnlyList<RuleLoadError> Errors, string Yaml);

    [LoggerMessage(LogLevel.Error, "Detection rule failed to load ({Origin}) {Source} line {Line}, rule '{Rule}': {Reason}")]
    private partial void LogRuleFailed(RuleOrigin origin, string source, int line, string rule, string reason);

    [LoggerMessage(LogLevel.Warning, "Rule folder {Directory} does not exist; no rules loaded from it")]
    private partial void LogFolderMissing(string directory);

    [LoggerMessage(LogLevel.Information, "Rule catalog compiled: {Rules} enabled rules, {Correlations} correlations, {Errors} load errors")]
    private partial void LogCatalogBuilt(int rules, int correlations, int errors);
}
