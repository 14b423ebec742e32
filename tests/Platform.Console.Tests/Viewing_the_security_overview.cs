namespace Platform.Console.Tests;

/// <summary>
/// The seed's SecurityOverview, as shipped by the seed stack, drawn from data ingested here: the failed-login chart's
/// points from alerting's metrics, the log widget's rows from its Logs Insights query, the API error rate widget the rate the platform derives from the denied calls.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class Viewing_the_security_overview(ConsolePlatform platform)
{
    [Fact]
    public async Task Each_widget_shows_the_data_ingested_in_the_test()
    {
        // The seed's failed-login metric filter, publishing the dashboard's metric (no dimensions, as the widget names it).
        await platform.PutAsync("metric-filters", "FailedLogins", """
            {"logGroupName": "/aws/security/auth", "filterName": "FailedLogins",
             "filterPattern": "{ $.status = \"FAILED\" && $.eventType = \"LOGIN\" }",
             "metricTransformations": [{"metricName": "FailedLoginCount", "metricNamespace": "Security/Authentication", "metricValue": "1"}]}
            """);
        using var alerting = platform.Client(PlatformResources.Alerting);
        await Task.Delay(TimeSpan.FromSeconds(3)); // the filter reaches alerting on the bus

        // 7 failed logins (and one success, which the filter leaves out) and two denied CloudTrail calls.
        var logins = Enumerable.Range(0, 7).Select(i => $$"""{"eventType":"LOGIN","status":"FAILED","sourceIP":"203.0.113.{{i}}","user":"admin{{i}}"}""")
            .Append("""{"eventType":"LOGIN","status":"SUCCESS","sourceIP":"203.0.113.99","user":"alice"}""");
        await platform.IngestAsync("/aws/security/auth", logins);
        await platform.IngestAsync("/aws/cloudtrail/logs", new[] { "DeleteTrail", "PutBucketPolicy" }.Select(name => Denied(name).ToJsonString()));
        await Eventually.ObserveAsync(async () => await FailedLoginsAsync(alerting), sum => sum >= 7, TimeSpan.FromSeconds(60));

        var page = await platform.SignedInPageAsync();
        await page.GotoAsync(new Uri(platform.Console, "/dashboards/SecurityOverview?range=1h").ToString());

        var failed = page.Locator("#widget-0");
        await Assertions.Expect(failed).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 30_000 });
        var values = await failed.Locator("circle.point").EvaluateAllAsync<double[]>("points => points.map(p => Number(p.dataset.value))");
        Assert.NotEmpty(values);
        Assert.Equal(7, values.Sum());
        await Assertions.Expect(failed.GetByRole(AriaRole.Img)).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("ログイン失敗回数"));

        // AWS/CloudTrail APIErrorRate: the platform derives it from every CloudTrail record (100 per failed call, averaged),
        // so the two denied calls show as a rate above zero.
        var errors = page.Locator("#widget-1");
        await Assertions.Expect(errors).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 30_000 });
        var rates = await errors.Locator("circle.point").EvaluateAllAsync<double[]>("points => points.map(p => Number(p.dataset.value))");
        Assert.Contains(rates, rate => rate > 0);

        var recent = page.Locator("#widget-2");
        await Assertions.Expect(recent).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 60_000 });
        var rows = recent.Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(recent.Locator("thead")).ToContainTextAsync("userIdentity.arn");
        await Assertions.Expect(recent.Locator("tbody")).ToContainTextAsync("DeleteTrail");
        await Assertions.Expect(recent.Locator("tbody")).ToContainTextAsync("PutBucketPolicy");
        await Assertions.Expect(recent.Locator("tbody")).ToContainTextAsync("arn:aws:iam::123456789012:user/mallory");

        await ConsolePlatform.ScreenshotAsync(page, "security-overview");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_time_range_is_refused_naming_the_field()
    {
        var page = await platform.SignedInPageAsync();

        var response = await page.APIRequest.GetAsync(new Uri(platform.Console, "/dashboards/SecurityOverview/widgets/0?range=custom&from=yesterday").ToString());

        Assert.Equal(400, response.Status);
        var problem = await response.JsonAsync();
        Assert.True(problem!.Value.GetProperty("errors").TryGetProperty("from", out _));
        await page.Context.CloseAsync();
    }

    private static async Task<double> FailedLoginsAsync(HttpClient alerting)
    {
        using var response = await alerting.PostAsJsonAsync("/v1/metrics/data", new
        {
            MetricDataQueries = new[] { new { Id = "f", MetricStat = new { Metric = new { Namespace = "Security/Authentication", MetricName = "FailedLoginCount" }, Period = 300, Stat = "Sum" } } },
            StartTime = DateTimeOffset.UtcNow.AddHours(-1),
            EndTime = DateTimeOffset.UtcNow.AddMinutes(5),
        });
        var result = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("MetricDataResults")[0];
        return result.GetProperty("Values").EnumerateArray().Sum(v => v.GetDouble());
    }

    /// <summary>mallory's call, refused: what the widget's <c>errorCode like /Unauthorized|AccessDenied/</c> shows.</summary>
    private static System.Text.Json.Nodes.JsonObject Denied(string eventName)
    {
        var record = CloudTrailRecords.CreateAccessKey(Guid.NewGuid().ToString());
        record["eventName"] = eventName;
        record["userIdentity"]!["arn"] = "arn:aws:iam::123456789012:user/mallory";
        record["errorCode"] = "AccessDenied";
        record["errorMessage"] = "User is not authorized";
        return record;
    }
}
