using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.Ingestion.Tests.Service;

/// <summary>
/// A conformance table of Logs Insights queries over events this test ingests, each answer checked against the same
/// answer computed here with LINQ over those events (not by the engine under test).
/// </summary>
[Collection(IngestionServiceCollection.Name)]
public sealed class Running_insights_queries(IngestionService service) : IAsyncLifetime
{
    private const long Origin = 1_700_000_000_000;
    private static readonly string[] Users = ["alice", "bob", "carol", "dave", "erin"];
    private static readonly string[] Actions = ["login", "logout", "read", "write"];
    private static readonly string[] Paths = ["/login", "/api/items", "/health"];

    private readonly string _group = "insights-" + Guid.NewGuid().ToString("N");
    private readonly List<Ev> _events = [];

    /// <summary>One ingested event, as the test knows it.</summary>
    public sealed record Ev(string Id, long Ms, string User, string Action, int Status, int Bytes, string Ip, string Path, string? Opt, string Message)
    {
        public string Time => DateTimeOffset.FromUnixTimeMilliseconds(Ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
    }

    public async Task InitializeAsync()
    {
        var logEvents = new List<JsonObject>();
        for (var i = 0; i < 60; i++)
        {
            var (user, action, status) = (Users[i * 7 % 5], Actions[i * 3 % 4], i % 6 == 0 ? 403 : i % 5 == 0 ? 500 : 200);
            var (bytes, ip, path) = (1000 + i * 13 % 101, i % 3 == 0 ? $"10.0.{i}.1" : $"192.168.{i}.7", Paths[i % 3]);
            var opt = i % 4 == 0 ? "o" + i : null;
            var document = new JsonObject { ["user"] = user, ["action"] = action, ["status"] = status, ["bytes"] = bytes, ["ip"] = ip, ["req"] = new JsonObject { ["path"] = path } };
            if (opt is not null)
            {
                document["opt"] = opt;
            }
            var message = document.ToJsonString();
            var ev = new Ev(Guid.NewGuid().ToString("N"), Origin + i * 37_000L + i % 7, user, action, status, bytes, ip, path, opt, message);
            _events.Add(ev);
            logEvents.Add(SubscriptionMessages.LogEvent(ev.Id, ev.Ms, message));
        }
        await service.IngestAsync("/v1/ingest/cloudwatch-logs", SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(logEvents, _group, "111122223333", "app")));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string> Cases => new(Conformance.Keys);

    /// <summary>Each query, and its expected rows from the events (in order when the query sorts; a row omits fields without a value).</summary>
    private static readonly Dictionary<string, Func<List<Ev>, List<Dictionary<string, string>>>> Conformance = new()
    {
        ["stats count(*) as n by user | sort user"] = evs =>
            evs.GroupBy(e => e.User).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Row(("user", g.Key), ("n", N(g.Count())))).ToList(),
        ["filter status >= 400 | stats count(*) as n by action | sort action desc"] = evs =>
            evs.Where(e => e.Status >= 400).GroupBy(e => e.Action).OrderByDescending(g => g.Key, StringComparer.Ordinal).Select(g => Row(("action", g.Key), ("n", N(g.Count())))).ToList(),
        ["filter action like \"log\" | fields user, action | sort @timestamp asc"] = evs =>
            evs.Where(e => e.Action.Contains("log", StringComparison.Ordinal)).OrderBy(e => e.Ms).Select(e => Row(("user", e.User), ("action", e.Action), ("@ptr", "*"))).ToList(),
        ["filter ip like /^10\\.0\\./ and user not in [\"alice\", \"bob\"] | stats count(*) as n"] = evs =>
            [Row(("n", N(evs.Count(e => e.Ip.StartsWith("10.0.", StringComparison.Ordinal) && e.User is not ("alice" or "bob")))))],
        ["filter user =~ /^(c|d)/ or status = 500 | stats count(*) as n"] = evs =>
            [Row(("n", N(evs.Count(e => e.User[0] is 'c' or 'd' || e.Status == 500))))],
        ["stats count(*) as n by bin(5m) | sort bin(5m)"] = evs =>
            evs.GroupBy(e => e.Ms / 300_000 * 300_000).OrderBy(g => g.Key)
                .Select(g => Row(("bin(5m)", DateTimeOffset.FromUnixTimeMilliseconds(g.Key).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)), ("n", N(g.Count())))).ToList(),
        ["sort bytes desc | limit 5 | fields user, bytes"] = evs =>
            evs.OrderByDescending(e => e.Bytes).Take(5).Select(e => Row(("user", e.User), ("bytes", N(e.Bytes)), ("@ptr", "*"))).ToList(),
        ["parse @message '\"user\":\"*\",\"action\":\"*\"' as u, a | filter a = \"read\" | stats count(*) as n by u | sort u"] = evs =>
            evs.Where(e => e.Action == "read").GroupBy(e => e.User).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Row(("u", g.Key), ("n", N(g.Count())))).ToList(),
        ["parse @message /\"ip\":\"(?<net>\\d+)\\./ | stats count(*) as n by net | sort net"] = evs =>
            evs.GroupBy(e => e.Ip.Split('.')[0]).OrderBy(g => int.Parse(g.Key, CultureInfo.InvariantCulture)).Select(g => Row(("net", g.Key), ("n", N(g.Count())))).ToList(),
        ["fields user, @timestamp | sort @timestamp desc | dedup user"] = evs =>
            evs.OrderByDescending(e => e.Ms).GroupBy(e => e.User).Select(g => g.First()).OrderByDescending(e => e.Ms)
                .Select(e => Row(("user", e.User), ("@timestamp", e.Time), ("@ptr", "*"))).ToList(),
        ["fields toupper(user) as U, strlen(action) as L, bytes * 2 + 1 as B, substr(user, 1, 2) as S, concat(user, \"-\", action) as C, abs(0 - bytes) % 7 as M | sort B asc | limit 3"] = evs =>
            evs.OrderBy(e => e.Bytes).Take(3).Select(e => Row(
                ("U", e.User.ToUpperInvariant()), ("L", N(e.Action.Length)), ("B", N(e.Bytes * 2 + 1)), ("S", e.User.Substring(1, 2)),
                ("C", $"{e.User}-{e.Action}"), ("M", N(e.Bytes % 7)), ("@ptr", "*"))).ToList(),
        ["filter isIpv4InSubnet(ip, \"10.0.0.0/16\") and isValidIp(ip) and not isValidIpV6(ip) | stats count(*) as n"] = evs =>
            [Row(("n", N(evs.Count(e => e.Ip.StartsWith("10.0.", StringComparison.Ordinal)))))],
        ["stats sum(bytes) as s, min(bytes) as mn, max(bytes) as mx, count_distinct(user) as u, count(opt) as o by action | sort action"] = evs =>
            evs.GroupBy(e => e.Action).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Row(
                ("action", g.Key), ("s", N(g.Sum(e => e.Bytes))), ("mn", N(g.Min(e => e.Bytes))), ("mx", N(g.Max(e => e.Bytes))),
                ("u", N(g.Select(e => e.User).Distinct().Count())), ("o", N(g.Count(e => e.Opt is not null))))).ToList(),
        ["stats earliest(user) as e, latest(action) as l, min(@timestamp) as first"] = evs =>
            [Row(("e", evs.MinBy(e => e.Ms)!.User), ("l", evs.MaxBy(e => e.Ms)!.Action), ("first", evs.MinBy(e => e.Ms)!.Time))],
        ["filter ispresent(opt) and req.path = \"/login\" | fields opt | sort opt"] = evs =>
            evs.Where(e => e.Opt is not null && e.Path == "/login").OrderBy(e => e.Opt, StringComparer.Ordinal).Select(e => Row(("opt", e.Opt!), ("@ptr", "*"))).ToList(),
        ["filter status != 200 and bytes > 1050 and bytes <= 1090 | stats count(*) as n"] = evs =>
            [Row(("n", N(evs.Count(e => e.Status != 200 && e.Bytes > 1050 && e.Bytes <= 1090))))],
        ["fields datefloor(@timestamp, 1h) as h, toMillis(@timestamp) as ms, fromMillis(1700000000000) as f, greatest(bytes, 1050) as g | sort ms | limit 2"] = evs =>
            evs.OrderBy(e => e.Ms).Take(2).Select(e => Row(
                ("h", DateTimeOffset.FromUnixTimeMilliseconds(e.Ms / 3_600_000 * 3_600_000).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)),
                ("ms", N(e.Ms)), ("f", "2023-11-14 22:13:20.000"), ("g", N(Math.Max(e.Bytes, 1050))), ("@ptr", "*"))).ToList(),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_query_answers_what_the_events_say(string query)
    {
        var expected = Conformance[query](_events);

        var run = await InsightsQueryRunner.RunAsync(service.Admin, InsightsQueryRunner.Body(query, _group));

        var actual = InsightsQueryRunner.Rows(run);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Keys.Order(StringComparer.Ordinal), actual[i].Keys.Order(StringComparer.Ordinal));
            foreach (var (field, value) in expected[i])
            {
                if (value != "*")
                {
                    Assert.True(value == actual[i][field], $"row {i} field {field}: expected {value}, got {actual[i][field]}");
                }
            }
        }
        Assert.Equal(_events.Count, run.GetProperty("statistics").GetProperty("recordsScanned").GetDouble());
        Assert.Equal(actual.Count, run.GetProperty("statistics").GetProperty("recordsMatched").GetDouble());
        Assert.Equal(_events.Sum(e => Encoding.UTF8.GetByteCount(e.Message)), run.GetProperty("statistics").GetProperty("bytesScanned").GetDouble());
    }

    [Fact]
    public async Task Averages_and_percentiles_match_the_events()
    {
        var run = await InsightsQueryRunner.RunAsync(service.Admin, InsightsQueryRunner.Body("stats avg(bytes) as a, pct(bytes, 90) as p90, sum(bytes) / count(*) as m", _group));

        var row = Assert.Single(InsightsQueryRunner.Rows(run));
        var bytes = _events.Select(e => (double)e.Bytes).Order().ToArray();
        Assert.Equal(bytes.Average(), double.Parse(row["a"], CultureInfo.InvariantCulture), 6);
        Assert.Equal(bytes.Average(), double.Parse(row["m"], CultureInfo.InvariantCulture), 6);
        // percentile_cont: linear interpolation between the closest ranks.
        var rank = 0.9 * (bytes.Length - 1);
        var expected = bytes[(int)rank] + (rank - (int)rank) * (bytes[(int)rank + 1] - bytes[(int)rank]);
        Assert.Equal(expected, double.Parse(row["p90"], CultureInfo.InvariantCulture), 6);
    }

    [Fact]
    public async Task The_time_range_bounds_the_events_and_the_limit_the_rows()
    {
        var from = (Origin + 10 * 37_000) / 1000;
        var to = (Origin + 20 * 37_000) / 1000;

        var run = await InsightsQueryRunner.RunAsync(service.Admin, InsightsQueryRunner.Body("fields user | sort @timestamp", _group, from, to, limit: 4));

        var inRange = _events.Where(e => e.Ms >= from * 1000 && e.Ms <= to * 1000 + 999 && e.Ms <= to * 1000).OrderBy(e => e.Ms).ToList();
        Assert.Equal(inRange.Take(4).Select(e => e.User), InsightsQueryRunner.Rows(run).Select(r => r["user"]));
        Assert.Equal(inRange.Count, run.GetProperty("statistics").GetProperty("recordsScanned").GetDouble());
    }

    [Fact]
    public async Task A_query_without_fields_answers_timestamp_message_and_a_pointer_to_the_event()
    {
        var run = await InsightsQueryRunner.RunAsync(service.Admin, InsightsQueryRunner.Body("sort @timestamp desc | limit 1", _group));

        var row = Assert.Single(InsightsQueryRunner.Rows(run));
        var latest = _events.MaxBy(e => e.Ms)!;
        Assert.Equal(latest.Time, row["@timestamp"]);
        Assert.Equal(latest.Message, row["@message"]);
        Assert.False(string.IsNullOrEmpty(row["@ptr"]));
    }

    private static Dictionary<string, string> Row(params (string Field, string Value)[] fields) => fields.ToDictionary(f => f.Field, f => f.Value);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
