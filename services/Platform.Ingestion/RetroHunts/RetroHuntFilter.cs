using Platform.Sigma;

namespace Platform.Ingestion.RetroHunts;

/// <summary>
/// Which stored events of a hunt's range detection needs to see: those some rule of the hunt's Sigma YAML matches (for a
/// correlation, the rules it counts), decided where the events are. Compiled with the Sigma library detection uses, so
/// it keeps at least every event detection would match; detection evaluates the kept ones again with its own rules and
/// makes the findings. The rule set's <see cref="SigmaRuleSet.Prefilter"/> rules out most events on their raw bytes,
/// so only the others are parsed. Thread-safe.
/// </summary>
public sealed class RetroHuntFilter
{
    /// <summary>The source the hunt's rules are loaded as (in their errors).</summary>
    private const string Source = "retro-hunt";

    private readonly SigmaRuleSet? _rules;

    private RetroHuntFilter(SigmaRuleSet? rules) => _rules = rules;

    /// <summary>
    /// The rules of <paramref name="yaml"/>; every event when it is null (a request that carries no rule).
    /// <see cref="SigmaRuleException"/> naming line and reason when they do not build.
    /// </summary>
    public static RetroHuntFilter Of(string? yaml) =>
        new(yaml is null ? null : SigmaRuleLoader.CreateRuleSet([SigmaRuleLoader.Load(yaml, Source)]));

    /// <summary>
    /// The stored event of <paramref name="sourceType"/> whose document is <paramref name="utf8Document"/> (borrowed, not
    /// kept) when it is to be streamed, its document copied (and parsed, when the rules read it); null otherwise.
    /// </summary>
    public LogDocument? Keep(string sourceType, ReadOnlySpan<byte> utf8Document)
    {
        if (_rules is null)
        {
            return LogDocument.FromValidUtf8(utf8Document.ToArray());
        }

        if (LogSourceMapping.Of(sourceType) is not { } logSource || _rules.Prefilter?.MayMatch(utf8Document) == false)
        {
            return null;
        }

        var document = LogDocument.FromValidUtf8(utf8Document.ToArray());
        return _rules.Evaluate(new SigmaEvent(document.Root, logSource)).Count > 0 ? document : null;
    }
}
