namespace Platform.Ingestion.Tests.Service;

/// <summary>Runs Logs Insights queries through the service's API as a client would: start, poll until the run ends.</summary>
public static class InsightsQueryRunner
{
    public static readonly long AllTimeEnd = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds();

    public static async Task<HttpResponseMessage> StartAsync(HttpClient client, object body) =>
        await client.PostAsJsonAsync("/v1/queries", body);

    /// <summary>Starts the query and returns the finished run's answer (GetQueryResults' shape).</summary>
    public static async Task<JsonElement> RunAsync(HttpClient client, object body)
    {
        using var response = await StartAsync(client, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /v1/queries: {(int)response.StatusCode} {text}");
        return await WaitAsync(client, JsonDocument.Parse(text).RootElement.GetProperty("queryId").GetString()!);
    }

    public static async Task<JsonElement> WaitAsync(HttpClient client, string queryId)
    {
        var run = await Eventually.ObserveAsync(
            async () => JsonDocument.Parse(await client.GetStringAsync($"/v1/queries/{queryId}")).RootElement,
            r => r.GetProperty("status").GetString() is not ("Scheduled" or "Running"),
            TimeSpan.FromSeconds(30));
        Assert.True(run.GetProperty("status").GetString() is not ("Scheduled" or "Running"), $"still running: {run}");
        return run;
    }

    /// <summary>The rows of a complete run, each as field → value (fields without a value are absent, as AWS answers).</summary>
    public static List<Dictionary<string, string>> Rows(JsonElement run)
    {
        Assert.True(run.GetProperty("status").GetString() == "Complete", $"the run did not complete: {run}");
        return run.GetProperty("results").EnumerateArray()
            .Select(row => row.EnumerateArray().ToDictionary(f => f.GetProperty("field").GetString()!, f => f.GetProperty("value").GetString()!))
            .ToList();
    }

    public static object Body(string query, string logGroup, long start = 0, long? end = null, int? limit = null) =>
        new { queryString = query, logGroupNames = new[] { logGroup }, startTime = start, endTime = end ?? AllTimeEnd, limit };
}
