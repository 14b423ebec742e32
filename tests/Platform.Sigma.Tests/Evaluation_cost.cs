using System.Diagnostics;
using Xunit.Abstractions;

namespace Platform.Sigma.Tests;

public class Evaluation_cost(ITestOutputHelper output)
{
    [Fact]
    public void Evaluating_CloudTrail_records_with_all_SigmaHQ_rules_allocates_next_to_nothing()
    {
        var ruleSet = SigmaRuleLoader.CreateRuleSet(SigmaRuleLoader.LoadDirectory(SharedData.RulesDirectory));
        var records = Directory.GetFiles(SharedData.StratusDirectory, "*.json")
            .SelectMany(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.EnumerateArray())
            .Select(r => new SigmaEvent(r, SigmaLogSources.CloudTrail))
            .ToArray();
        var matches = new List<SigmaRule>(64);
        foreach (var record in records)
        {
            matches.Clear();
            ruleSet.Evaluate(record, matches);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var stopwatch = Stopwatch.StartNew();
        var evaluated = 0;
        for (var round = 0; round < 2000; round++)
        {
            foreach (var record in records)
            {
                matches.Clear();
                ruleSet.Evaluate(record, matches);
                evaluated++;
            }
        }

        stopwatch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{evaluated / stopwatch.Elapsed.TotalSeconds:N0} events/s, {allocated} bytes allocated");

        // Only rare paths allocate: fieldref rules and JSON strings with escapes.
        Assert.True(allocated / evaluated < 8, $"{allocated / evaluated} bytes per event");
    }
}
