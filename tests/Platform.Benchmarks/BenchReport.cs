using System.Text;

namespace Platform.Benchmarks;

/// <summary>What a bench run measured; the figures the report gives are derived here, in one place.</summary>
internal sealed record BenchResult(
    BenchSettings Settings,
    IReadOnlyList<BenchSample> Samples,
    IReadOnlyList<(double At, double Milliseconds)> Latencies,
    IReadOnlyList<string> Services,
    IReadOnlyList<long> StorageBytes,
    IReadOnlyList<string> Profile)
{
    public bool Drained => Samples.Count > 0 && Samples[^1].Evaluated >= Settings.Events;

    /// <summary>Seconds from the first put to the first sample where detection had evaluated <paramref name="events"/>.</summary>
    public double? SecondsUntilEvaluated(long events) => Samples.FirstOrDefault(s => s.Evaluated >= events)?.At;

    /// <summary>Events/s from the first put to the last event evaluated (what the issue's targets are measured as).</summary>
    public double Sustained => SecondsUntilEvaluated(Samples.Count == 0 ? 1 : Samples[^1].Evaluated) is { } seconds && seconds > 0
        ? Samples[^1].Evaluated / seconds
        : 0;

    /// <summary>Detection's rate over the first and the last tenth of the events: equal when nothing slows down as state grows.</summary>
    public (double First, double Last) TenthRates()
    {
        var tenth = Settings.Events / 10;
        var firstEnd = SecondsUntilEvaluated(tenth);
        var lastStart = SecondsUntilEvaluated(Settings.Events - tenth);
        var lastEnd = SecondsUntilEvaluated(Settings.Events);
        return (firstEnd is { } f && f > 0 ? tenth / f : 0, lastStart is { } s && lastEnd is { } e && e > s ? tenth / (e - s) : 0);
    }

    public double Percentile(double p)
    {
        if (Latencies.Count == 0)
        {
            return double.NaN;
        }

        var sorted = Latencies.Select(l => l.Milliseconds).Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}

/// <summary>
/// <c>bench/report.md</c> and its chart (<c>report.svg</c>, hand-written SVG): throughput (events/s evaluated by
/// detection and stored by ingestion, per second) and Kinesis-to-finding latency (p50 and p99 of each 5 s) over time.
/// </summary>
internal static class BenchReport
{
    private const int Width = 900;
    private const int PanelHeight = 220;
    private const int Left = 70;
    private const int Top = 30;
    private const int Gap = 60;

    public static string Summary(BenchResult result)
    {
        var (first, last) = result.TenthRates();
        return string.Create(CultureInfo.InvariantCulture,
            $"{(result.Drained ? "Drained" : "NOT drained")}: {result.Samples.LastOrDefault()?.Evaluated ?? 0:N0} of {result.Settings.Events:N0} events evaluated; " +
            $"{result.Sustained:N0} events/s sustained (first tenth {first:N0}/s, last tenth {last:N0}/s); " +
            $"Kinesis to finding p50 {result.Percentile(0.50):N0} ms, p95 {result.Percentile(0.95):N0} ms, p99 {result.Percentile(0.99):N0} ms ({result.Latencies.Count:N0} finding events)");
    }

    public static void Write(BenchResult result, string path)
    {
        var svg = Path.ChangeExtension(path, ".svg");
        File.WriteAllText(svg, Chart(result));
        var settings = result.Settings;
        var (first, last) = result.TenthRates();
        var duration = result.Samples.LastOrDefault()?.At ?? 0;
        var markdown = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        markdown.AppendLine(c, $"# Bench: {settings.Mix}, {settings.Events:N0} events");
        markdown.AppendLine();
        markdown.AppendLine(c, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {settings.Cores} cores, load average {LoadAverage()} at the end. Traffic: {settings.Traffic}, " +
            $"put into a two-shard Kinesis stream {(settings.Rate == 0 ? "as fast as it goes" : $"at {settings.Rate:N0} events/s")}, after a warm-up of {settings.Warmup:N0} events (put as fast as they go and evaluated before the clock started; not in the figures but in detection's batch profile); the platform's {result.StorageBytes.Count} services ({string.Join(", ", result.Services.Take(result.StorageBytes.Count))}) each in a process of its own.");
        markdown.AppendLine();
        markdown.AppendLine(c, $"![throughput and latency over time]({Path.GetFileName(svg)})");
        markdown.AppendLine();
        markdown.AppendLine("| figure | value |");
        markdown.AppendLine("|---|---|");
        markdown.AppendLine(c, $"| drained | {(result.Drained ? "yes" : "no")}: {result.Samples.LastOrDefault()?.Evaluated ?? 0:N0} of {settings.Events:N0} evaluated after {duration:F0} s |");
        markdown.AppendLine(c, $"| sustained, first put to last evaluated | {result.Sustained:N0} events/s |");
        markdown.AppendLine(c, $"| detection, first and last tenth of the events | {first:N0} and {last:N0} events/s |");
        markdown.AppendLine(c, $"| Kinesis to finding event ({result.Latencies.Count:N0} finding events) | p50 {result.Percentile(0.50):N0} ms, p95 {result.Percentile(0.95):N0} ms, p99 {result.Percentile(0.99):N0} ms |");
        for (var i = 0; i < result.Services.Count; i++)
        {
            var usage = result.Samples.Select(s => s.Services[i]).ToList();
            var cpu = usage.Count == 0 ? 0 : usage[^1].CpuSeconds - usage[0].CpuSeconds;
            var rss = usage.DefaultIfEmpty().Max(u => u.RssMegabytes);
            markdown.AppendLine(c, $"| {result.Services[i]}: CPU{(rss > 0 ? ", peak RSS" : "")} | {cpu:F0} CPU-s ({(duration > 0 ? cpu / duration : 0):F2} cores on average, {(settings.Events > 0 ? cpu * 1e6 / settings.Events : 0):F0} µs per event){(rss > 0 ? $", {rss:F0} MB" : "")} |");
        }

        var total = result.Samples.Count < 2 ? 0 : result.Samples[^1].Services.Sum(u => u.CpuSeconds) - result.Samples[0].Services.Sum(u => u.CpuSeconds);
        markdown.AppendLine(c, $"| all of the above: CPU | {total:F0} CPU-s ({(duration > 0 ? total / duration : 0):F2} of the {settings.Cores} cores on average, {(settings.Events > 0 ? total * 1e6 / settings.Events : 0):F0} µs per event) |");

        // The services' own databases; the servers after them have none.
        for (var i = 0; i < result.StorageBytes.Count; i++)
        {
            markdown.AppendLine(c, $"| {result.Services[i]} database per million events | {result.StorageBytes[i] * 1_000_000.0 / settings.Events / (1 << 20):N0} MiB |");
        }

        if (result.Profile.Count > 0)
        {
            markdown.AppendLine();
            markdown.AppendLine("Detection's batches (`evaluate batch` activities) and the database commands inside them, by statement:");
            markdown.AppendLine();
            markdown.AppendLine("```");
            foreach (var line in result.Profile)
            {
                markdown.AppendLine(line);
            }

            markdown.AppendLine("```");
        }

        File.WriteAllText(path, markdown.ToString());
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string Chart(BenchResult result)
    {
        var samples = result.Samples;
        var duration = Math.Max(1, samples.LastOrDefault()?.At ?? 1);
        var evaluated = Rates(samples, s => s.Evaluated);
        var ingested = Rates(samples, s => s.Ingested);
        var maxRate = Math.Max(1, evaluated.Concat(ingested).DefaultIfEmpty().Max(p => p.Value));
        var windows = result.Latencies
            .GroupBy(l => Math.Floor(l.At / 5) * 5)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var sorted = g.Select(l => l.Milliseconds).Order().ToArray();
                return (At: g.Key + 2.5, P50: sorted[sorted.Length / 2], P99: sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(0.99 * sorted.Length) - 1)]);
            })
            .ToList();
        var maxLatency = Math.Max(1, windows.DefaultIfEmpty().Max(w => w.P99));

        var svg = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        var height = Top + 2 * PanelHeight + Gap + 40;
        svg.AppendLine(c, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{height}" font-family="sans-serif" font-size="12">""");
        svg.AppendLine(c, $"""<rect width="{Width}" height="{height}" fill="white"/>""");
        Panel(svg, Top, "events/s", maxRate, duration, [("detection evaluated", "#1f77b4", evaluated), ("ingestion stored", "#ff7f0e", ingested)]);
        Panel(svg, Top + PanelHeight + Gap, "Kinesis to finding, ms (per 5 s)", maxLatency, duration,
            [("p50", "#2ca02c", [.. windows.Select(w => (w.At, w.P50))]), ("p99", "#d62728", [.. windows.Select(w => (w.At, w.P99))])]);
        svg.AppendLine(c, $"""<text x="{Left + (Width - Left - 20) / 2}" y="{height - 8}" text-anchor="middle">seconds since the first put</text>""");
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    /// <summary>Events per second between consecutive samples.</summary>
    private static List<(double At, double Value)> Rates(IReadOnlyList<BenchSample> samples, Func<BenchSample, long> count) =>
        [.. samples.Zip(samples.Skip(1), (a, b) => (b.At, (count(b) - count(a)) / Math.Max(0.001, b.At - a.At)))];

    private static void Panel(StringBuilder svg, int top, string title, double max, double duration, (string Name, string Colour, List<(double At, double Value)> Points)[] series)
    {
        var c = CultureInfo.InvariantCulture;
        var right = Width - 20;
        var bottom = top + PanelHeight;
        svg.AppendLine(c, $"""<text x="{Left}" y="{top - 10}" font-weight="bold">{title}</text>""");
        svg.AppendLine(c, $"""<rect x="{Left}" y="{top}" width="{right - Left}" height="{PanelHeight}" fill="none" stroke="#999"/>""");
        for (var i = 0; i <= 4; i++)
        {
            var y = bottom - i * PanelHeight / 4.0;
            svg.AppendLine(c, $"""<line x1="{Left}" y1="{y:F1}" x2="{right}" y2="{y:F1}" stroke="#eee"/><text x="{Left - 6}" y="{y + 4:F1}" text-anchor="end">{max * i / 4:N0}</text>""");
        }

        for (var i = 0; i <= 5; i++)
        {
            var x = Left + i * (right - Left) / 5.0;
            svg.AppendLine(c, $"""<text x="{x:F1}" y="{bottom + 16}" text-anchor="middle">{duration * i / 5:F0}</text>""");
        }

        var legend = Left + 10;
        foreach (var (name, colour, points) in series)
        {
            var path = string.Join(' ', points.Select(p => string.Create(c, $"{Left + p.At / duration * (right - Left):F1},{bottom - p.Value / max * PanelHeight:F1}")));
            svg.AppendLine(c, $"""<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{path}"/>""");
            svg.AppendLine(c, $"""<rect x="{legend}" y="{top + 8}" width="12" height="3" fill="{colour}"/><text x="{legend + 16}" y="{top + 13}">{name}</text>""");
            legend += 20 + name.Length * 7;
        }
    }
}
