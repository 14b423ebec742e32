namespace Platform.Alerting.Tests;

/// <summary><c>POST /v1/metric-filters/test</c> answers like AWS's TestMetricFilter, through the real service.</summary>
[Collection(AlertingCollection.Name)]
public sealed class Testing_metric_filters(AlertingHost alerting)
{
    private const string Path = "/v1/metric-filters/test";

    [Fact]
    public async Task The_seeds_failed_login_pattern_matches_the_failed_logins_numbered_from_one()
    {
        using var client = alerting.ClientFor(PlatformRoles.Analyst);
        string[] messages =
        [
            """{"eventType":"LOGIN","status":"SUCCEEDED","sourceIP":"203.0.113.9"}""",
            """{"eventType":"LOGIN","status":"FAILED","sourceIP":"203.0.113.9"}""",
            "not JSON",
            """{"eventType":"LOGIN","status":"FAILED","sourceIP":"198.51.100.7"}""",
        ];

        using var response = await client.PostAsJsonAsync(
            Path, new { filterPattern = """{ $.status = "FAILED" && $.eventType = "LOGIN" }""", logEventMessages = messages });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<TestMetricFilterResponse>(PlatformJson.Options);
        Assert.Equal([2, 4], body!.Matches.Select(m => m.EventNumber));
        Assert.Equal(messages[1], body.Matches[0].EventMessage);
        Assert.Equal(
            new Dictionary<string, string> { ["$.status"] = "FAILED", ["$.eventType"] = "LOGIN" },
            body.Matches[1].ExtractedValues);
    }

    [Fact]
    public async Task A_space_delimited_pattern_answers_its_extracted_values_under_awss_names()
    {
        using var client = alerting.ClientFor(PlatformRoles.Analyst);

        using var response = await client.PostAsJsonAsync(Path, new
        {
            filterPattern = "[ip, user, username, timestamp, request, status_code = 4*, bytes]",
            logEventMessages = new[] { "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /a.gif HTTP/1.0\" 404 2326" },
        });

        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var match = json.GetProperty("matches")[0];
        Assert.Equal(1, match.GetProperty("eventNumber").GetInt32());
        Assert.Equal("404", match.GetProperty("extractedValues").GetProperty("$status_code").GetString());
        Assert.Equal("10/Oct/2000:13:25:15 -0700", match.GetProperty("extractedValues").GetProperty("$timestamp").GetString());
    }

    [Fact]
    public async Task A_pattern_aws_refuses_answers_400_naming_filter_pattern_with_the_position_and_reason()
    {
        var reason = await alerting.RefusalReasonAsync(Path, new { filterPattern = "{ $.latency > \"slow\" }", logEventMessages = new[] { "x" } }, "filterPattern");

        Assert.StartsWith("at character 15:", reason);
        Assert.Contains("'>' compares numbers", reason);
    }

    [Fact]
    public async Task Hostile_nesting_answers_400_not_a_crash()
    {
        var deep = "{ " + new string('(', 400) + "$.a = 1" + new string(')', 400) + " }";

        var reason = await alerting.RefusalReasonAsync(Path, new { filterPattern = deep, logEventMessages = new[] { """{"a":1}""" } }, "filterPattern");

        Assert.Contains("nested more than 64 levels deep", reason);
    }

    [Fact]
    public async Task More_than_fifty_messages_are_refused()
    {
        var reason = await alerting.RefusalReasonAsync(Path, new { filterPattern = "ERROR", logEventMessages = Enumerable.Repeat("ERROR", 51) }, "logEventMessages");

        Assert.Equal("holds 51 messages: 1 to 50", reason);
    }

    [Fact]
    public async Task A_message_larger_than_a_log_event_is_refused_by_its_index()
    {
        var huge = new string('a', MetricFiltersApi.MaxMessageBytes + 1);

        var reason = await alerting.RefusalReasonAsync(Path, new { filterPattern = "ERROR", logEventMessages = new[] { "ERROR", huge } }, "logEventMessages[1]");

        Assert.Contains("larger than 262144 bytes", reason);
    }

    [Fact]
    public async Task A_missing_pattern_and_missing_messages_are_both_named()
    {
        using var response = await alerting.PostAsAdminAsync(Path, new { });

        var fields = await response.ProblemFieldsAsync();
        Assert.Equal("is required", Assert.Single(fields["filterPattern"]));
        Assert.NotEmpty(fields["logEventMessages"]);
    }

    [Fact]
    public async Task No_key_is_401_and_an_ingest_key_is_403()
    {
        await alerting.AssertNoKeyIs401AndAnIngestKeyIs403Async(Path, new { filterPattern = "ERROR", logEventMessages = new[] { "ERROR" } });
    }
}
