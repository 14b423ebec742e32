using Platform.Contracts.Ingestion;
using Platform.Detection.Evaluation;
using Xunit.Abstractions;

namespace Platform.Detection.Tests.Rules;

/// <summary>
/// The noise on the real CloudTrail samples in <c>../shared/data</c>, before and after signals: each file evaluated as
/// one batch the way the detection service evaluates it (its rule catalog loading the shipped rules and overrides, the
/// batch evaluator, correlations), counting the findings it raises (fingerprints) by disposition. "Before" is the
/// catalog as it was: the assumed-role rule switched off (by a rule setting) and every finding an alert.
/// </summary>
public sealed class Noise_on_the_real_samples(ITestOutputHelper output)
{
    [Fact]
    public async Task Signals_take_the_low_fidelity_findings_off_the_alerts_of_every_sample_file()
    {
        output.WriteLine("file | before: alerts | after: alerts | after: signals");
        var totals = new int[3];
        foreach (var (file, events) in Samples())
        {
            var before = await DispositionsAsync(events, before: true);
            var after = await DispositionsAsync(events, before: false);
            var row = new[] { before.Count, after.Count(d => d == FindingDisposition.Alert), after.Count(d => d == FindingDisposition.Signal) };
            output.WriteLine($"{file} | {row[0]} | {row[1]} | {row[2]}");
            for (var i = 0; i < row.Length; i++)
            {
                totals[i] += row[i];
            }

            // No sample pages more than before: the correlation over signals adds no alert on them.
            Assert.True(row[1] <= row[0], $"{file}: {row[1]} alerts after, {row[0]} before");
        }

        output.WriteLine($"total | {totals[0]} | {totals[1]} | {totals[2]}");
        Assert.True(totals[1] < totals[0], "some alerts became signals");
        Assert.True(totals[2] > totals[0] - totals[1], "the assumed-role rule's findings are kept as signals");
    }

    /// <summary>The disposition of every finding <paramref name="events"/> raise as one batch through a fresh catalog.</summary>
    private static async Task<List<FindingDisposition>> DispositionsAsync(IReadOnlyList<NormalizedLogEvent> events, bool before)
    {
        var catalog = RuleHarness.ShippedCatalog();
        if (before)
        {
            catalog.UpsertSetting("before", new RuleSettingSpec(RuleIds.SigmaHqAssumeRoleMisuse, Enabled: false));
        }

        var rules = catalog.Current;
        var batch = BatchEvaluator.Match(rules, events);
        await BatchEvaluator.CorrelateAsync(rules, events, batch, CancellationToken.None);
        return [.. batch.Pending.Values.Select(p => before ? FindingDisposition.Alert : p.Rule.Disposition)];
    }

    /// <summary>Every sample file of CloudTrail records: the Stratus detonations, the S3 log file, the subscription message.</summary>
    private static IEnumerable<(string File, IReadOnlyList<NormalizedLogEvent> Events)> Samples()
    {
        foreach (var sample in RuleHarness.NormalizedStratusFiles())
        {
            yield return sample;
        }

        using (var stream = new GZipStream(File.OpenRead(SharedData.PathOf("data", "cloudtrail", "cloudtrail-log-file.json.gz")), CompressionMode.Decompress))
        {
            yield return ("cloudtrail-log-file.json.gz", RuleHarness.Normalized(JsonNode.Parse(stream)!["Records"]!.AsArray()));
        }

        var message = JsonNode.Parse(File.ReadAllText(SharedData.PathOf("data", "subscription-payloads", "cloudwatch_log_cloudtrail.json")))!;
        yield return ("cloudwatch_log_cloudtrail.json", RuleHarness.Normalized(message["logEvents"]!.AsArray().Select(e => JsonNode.Parse((string)e!["message"]!))));
    }
}
