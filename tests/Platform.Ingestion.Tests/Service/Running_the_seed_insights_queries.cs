using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.Ingestion.Tests.Service;

/// <summary>
/// The seed's Logs Insights query (failed attempts by principal) and the dashboard's SOURCE query, as written, over
/// the Stratus Red Team CloudTrail samples delivered to <c>/aws/cloudtrail/logs</c>; answers checked against the samples.
/// </summary>
[Collection(IngestionServiceCollection.Name)]
public sealed class Running_the_seed_insights_queries(IngestionService service)
{
    private const string LogGroup = SeedQueries.InsightsLogGroup;

    private static readonly Regex Failed = new("Unauthorized|AccessDenied", RegexOptions.NonBacktracking);

    [Fact]
    public async Task The_seed_and_dashboard_queries_answer_what_the_samples_say()
    {
        // Fresh event ids: the same samples may be stored by other tests under other log groups.
        var records = SubscriptionMessages.StratusRecords();
        foreach (var record in records)
        {
            record["eventID"] = Guid.NewGuid().ToString();
        }
        var logEvents = records.Select(r => SubscriptionMessages.LogEvent(
            Guid.NewGuid().ToString("N"), DateTimeOffset.Parse(r["eventTime"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), r.ToJsonString()));
        var counts = await service.IngestAsync("/v1/ingest/cloudwatch-logs", SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(logEvents, LogGroup)));
        Assert.Equal(records.Length, counts.Accepted);
        var failed = records.Where(r => r["errorCode"]?.GetValue<string>() is { } code && Failed.IsMatch(code)).ToArray();
        Assert.True(failed.Length > 10, $"the samples hold {failed.Length} failed calls");

        var seed = InsightsQueryRunner.Rows(await InsightsQueryRunner.RunAsync(service.Admin, new
        {
            logGroupName = LogGroup, startTime = 0, endTime = InsightsQueryRunner.AllTimeEnd, queryString = SeedQueries.FailedAttempts,
        }));

        var byPrincipal = failed.GroupBy(r => r["userIdentity"]?["arn"]?.GetValue<string>()).ToDictionary(g => g.Key ?? "", g => g.Count());
        var expectedCounts = byPrincipal.Values.OrderDescending().Take(10).ToArray();
        Assert.Equal(expectedCounts, seed.Select(r => int.Parse(r["failedAttempts"], CultureInfo.InvariantCulture)));
        foreach (var row in seed)
        {
            Assert.Equal(byPrincipal[row.GetValueOrDefault("userIdentity.arn", "")], int.Parse(row["failedAttempts"], CultureInfo.InvariantCulture));
        }

        var dashboard = InsightsQueryRunner.Rows(await InsightsQueryRunner.RunAsync(service.Admin, new
        {
            startTime = 0, endTime = InsightsQueryRunner.AllTimeEnd, queryString = SeedQueries.Dashboard,
        }));

        var latest = failed.Select(r => (Time: DateTimeOffset.Parse(r["eventTime"]!.GetValue<string>(), CultureInfo.InvariantCulture), Name: r["eventName"]!.GetValue<string>()))
            .OrderByDescending(r => r.Time).Take(20).ToArray();
        Assert.Equal(latest.Select(r => r.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)), dashboard.Select(r => r["@timestamp"]));
        Assert.All(dashboard, row => Assert.Contains((row["@timestamp"], row["eventName"]),
            latest.Select(r => (r.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture), r.Name))));
        Assert.All(dashboard, row => Assert.Subset(new HashSet<string> { "@timestamp", "eventName", "userIdentity.arn", "@ptr" }, row.Keys.ToHashSet()));
    }
}
