using Platform.Contracts.Ingestion;
using Platform.Detection.Evaluation;
using Platform.Detection.Findings;
using Platform.Detection.Tests.Rules;

namespace Platform.Detection.Tests;

/// <summary>
/// A group commit merges the matches of the batches it commits: merged, batches of an attack's events record on each
/// finding what one batch of all those events records (occurrences, first and last seen, source IPs, resources, the
/// first and latest evidence), and the batches themselves are left as they were (a failed group commits each alone).
/// </summary>
public sealed class Merging_batches
{
    [Fact]
    public void Batches_merged_record_what_one_batch_of_their_events_records()
    {
        var rules = RuleHarness.ShippedCatalog().Current;
        var events = RuleHarness.NormalizedStratusFiles().SelectMany(f => f.Events).ToList();
        // The same events three times over (fresh ids), so findings gather more evidence than they keep.
        List<NormalizedLogEvent> all = [.. Enumerable.Range(0, 3).SelectMany(_ => events.Select(e => e with { EventId = Guid.NewGuid().ToString() }))];

        var whole = BatchEvaluator.Match(rules, all);
        var parts = all.Chunk(all.Count / 4 + 1).Select(chunk => BatchEvaluator.Match(rules, chunk)).ToList();
        var countsBefore = parts.Select(p => p.Pending.ToDictionary(x => x.Key, x => x.Value.Count)).ToList();
        var merged = BatchMatches.Merge(parts);

        Assert.True(whole.Pending.Count > 5, $"the samples raise findings ({whole.Pending.Count})");
        Assert.Contains(whole.Pending.Values, p => p.Count > 2 * FindingState.MaxEvidenceAtEachEnd);
        Assert.Equal(whole.MatchesByRule.OrderBy(m => m.Key), merged.MatchesByRule.OrderBy(m => m.Key));
        Assert.Equal(whole.Pending.Keys.Order(), merged.Pending.Keys.Order());
        foreach (var (fingerprint, one) in whole.Pending)
        {
            var expected = one.ToRecorded(FindingState.Initial)!;
            var actual = merged.Pending[fingerprint].ToRecorded(FindingState.Initial)!;
            Assert.Equal(expected.Count, actual.Count);
            Assert.Equal(expected.FirstSeenAt, actual.FirstSeenAt);
            Assert.Equal(expected.LastSeenAt, actual.LastSeenAt);
            Assert.Equal(expected.SourceIps, actual.SourceIps);
            Assert.Equal(expected.Resources, actual.Resources);
            Assert.Equal(expected.FirstEvidence, actual.FirstEvidence);
            Assert.Equal(expected.LatestEvidence, actual.LatestEvidence);
        }

        Assert.Equal(countsBefore, parts.Select(p => p.Pending.ToDictionary(x => x.Key, x => x.Value.Count)));
    }
}
