using System.Diagnostics;
using Xunit.Abstractions;

namespace Platform.Faults.Tests;

/// <summary>
/// One fault while events flow, and what must hold afterwards with no hand on the platform: every event stored exactly
/// once, every expected finding exactly once with the right occurrence count, no alert delivered twice (nor lost), and
/// the pipeline back to full rate (the backlog drained, then events stored as fast as they are put).
/// </summary>
public static class FaultDrill
{
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(120);

    /// <summary>Alerting's deliveries sent at once (<c>Platform:Alerting:Delivery:ConcurrentSends</c>): those a crash can leave unrecorded.</summary>
    private const int ConcurrentSends = 16;

    /// <summary>A second of traffic: a backlog smaller than this is caught up.</summary>
    private const int CaughtUp = 200;

    /// <summary>Events flow, <paramref name="fault"/> strikes (and returns once the platform is back), then the checks.</summary>
    public static async Task DrillAsync(this LocalPlatform platform, string name, Func<Task> fault, ITestOutputHelper output)
    {
        var flow = new CloudTrailFlow(platform, name);
        using var stop = new CancellationTokenSource();
        var flowing = flow.RunAsync(stop.Token);
        try
        {
            await Task.Delay(Steady);
            var clock = Stopwatch.StartNew();
            await fault();
            var recovered = clock.Elapsed;

            // Back to full rate: the backlog drains, then the store keeps pace with the puts.
            var lag = await Eventually.ObserveAsync(async () => flow.PutCount - await flow.StoredCountAsync(), l => l < CaughtUp, Settle);
            Assert.True(lag < CaughtUp, $"{name}: {lag} events still not stored {Settle.TotalSeconds:0} s after the platform was back.");
            var caughtUp = clock.Elapsed;
            var (put0, stored0) = (flow.PutCount, await flow.StoredCountAsync());
            await Task.Delay(Window);
            var (put1, stored1) = (flow.PutCount, await flow.StoredCountAsync());
            output.WriteLine($"{name}: back {recovered.TotalSeconds:0.0} s after the fault began, backlog drained at {caughtUp.TotalSeconds:0.0} s; " +
                             $"then {put1 - put0} events put and {stored1 - stored0} stored in {Window.TotalSeconds:0} s");
            Assert.True(stored1 - stored0 >= (put1 - put0) * 8 / 10,
                $"{name}: after recovery {stored1 - stored0} events stored while {put1 - put0} were put in {Window.TotalSeconds:0} s.");
        }
        finally
        {
            await stop.CancelAsync();
            await flowing;
        }

        var (duplicated, missing) = await Eventually.ObserveAsync(flow.StoreDifferencesAsync, d => d.Duplicated.Length > 0 || d.Missing.Length == 0, Settle);
        Assert.True(duplicated.Length == 0, $"{name}: {duplicated.Length} events stored more than once, e.g. {string.Join(", ", duplicated.Take(3))}");
        Assert.True(missing.Length == 0, $"{name}: {missing.Length} of {flow.PutCount} events never stored, e.g. {string.Join(", ", missing.Take(3))}");

        var expected = flow.ExpectedOccurrences();
        var findings = await Eventually.ObserveAsync(flow.FindingsAsync,
            f => f.Where(x => expected.ContainsKey(x.User)).Sum(x => x.Occurrences) >= expected.Values.Sum() * RulesPerMatch(f), Settle);
        Assert.NotEmpty(findings);
        foreach (var rule in findings.GroupBy(f => f.Rule))
        {
            // Each user once per rule, counted once per event: no finding twice, no occurrence lost or counted twice.
            Assert.Equal(expected.OrderBy(e => e.Key), rule.Select(f => new KeyValuePair<string, long>(f.User, f.Occurrences)).OrderBy(e => e.Key));
        }

        var delivered = await Eventually.ObserveAsync(() => Task.FromResult(flow.DeliveredIds()), d => d.Distinct().Count() >= flow.MatchedIds.Count, Settle);
        await Task.Delay(TimeSpan.FromSeconds(3)); // a late second delivery would show now
        var received = flow.Received();
        delivered = [.. received.Select(r => r.EventId)];
        var keys = received.GroupBy(r => r.EventId).Where(g => g.Select(r => r.IdempotencyKey).Distinct().Count() > 1).Select(g => g.Key).ToList();
        Assert.True(keys.Count == 0, $"{name}: {keys.Count} alerts delivered under more than one idempotency key, e.g. {string.Join(", ", keys.Take(3))}");
        // A second copy under the same key is what at-least-once delivery to HTTP allows for a send in flight at a crash:
        // at most one per concurrent send (ConcurrentSends), each received at most twice. Printed with what alerting's
        // delivery row says (an attempt taken over, or retried), so a duplicate the platform does not show can be traced.
        var twice = delivered.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var inDoubt = await flow.DeliveriesInDoubtAsync();
        foreach (var id in twice)
        {
            output.WriteLine($"{name}: alert {id} received {delivered.Count(d => d == id)} times; its delivery: {inDoubt.GetValueOrDefault(id, "(not in doubt)")}");
        }
        Assert.True(twice.Count <= ConcurrentSends && twice.All(id => delivered.Count(d => d == id) == 2),
            $"{name}: {twice.Count} alerts delivered more than once (at most {ConcurrentSends}, each twice, can be in flight at a crash), " +
            $"e.g. {string.Join(", ", twice.Take(3))}");
        Assert.Equal(flow.MatchedIds.Order(), delivered.Distinct().Order());
        output.WriteLine($"{name}: {flow.PutCount} events stored once each; {flow.MatchedIds.Count} matches in {findings.Count} findings " +
                         $"of {findings.Select(f => f.Rule).Distinct().Count()} rule(s); every alert delivered, {twice.Count} of them twice " +
                         $"(under one key); {inDoubt.Count} deliveries in doubt (taken over or retried)");
    }

    /// <summary>How many rules the findings seen so far say a match falls under (at least one).</summary>
    private static int RulesPerMatch(List<(string Rule, string User, long Occurrences)> findings) =>
        Math.Max(1, findings.Select(f => f.Rule).Distinct().Count());
}
