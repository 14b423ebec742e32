namespace Platform.Alerting.Tests;

/// <summary><c>GET /v1/alarms</c>: DescribeAlarms' filters and the platform's pagination, and 400 for what is not a filter.</summary>
[Collection(AlarmsCollection.Name)]
public sealed class Describing_alarms(AlarmsHost alarms)
{
    private static AlarmSpec Spec(string ns) =>
        new(null, null, "Calls", ns, null, "Sum", null, 60, 1, null, 0, "GreaterThanThreshold", "breaching", null, null, null, null, null);

    [Fact]
    public async Task Alarms_are_listed_by_name_filtered_by_prefix_and_state_one_page_at_a_time()
    {
        var prefix = $"list-{Guid.NewGuid():N}"[..13];
        foreach (var suffix in new[] { "c", "a", "b" })
        {
            await alarms.ProvisionAsync($"{prefix}-{suffix}", Spec(prefix));
        }
        using var client = alarms.Host.CreateClient("test-analyst-key-not-registered");
        using var admin = alarms.Host.CreateAdminClient();

        var first = await admin.GetFromJsonAsync<JsonElement>($"/v1/alarms?alarmNamePrefix={prefix}&limit=2");
        var second = await admin.GetFromJsonAsync<JsonElement>($"/v1/alarms?alarmNamePrefix={prefix}&limit=2&cursor={first.GetProperty("nextCursor").GetString()}");
        var insufficient = await admin.GetFromJsonAsync<JsonElement>($"/v1/alarms?alarmNamePrefix={prefix}&stateValue=INSUFFICIENT_DATA");
        var inAlarm = await admin.GetFromJsonAsync<JsonElement>($"/v1/alarms?alarmNamePrefix={prefix}&stateValue=ALARM");

        Assert.Equal([$"{prefix}-a", $"{prefix}-b"], first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("alarmName").GetString()));
        Assert.Equal([$"{prefix}-c"], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("alarmName").GetString()));
        Assert.False(second.TryGetProperty("nextCursor", out _));
        Assert.Equal(3, insufficient.GetProperty("items").GetArrayLength());
        Assert.Equal(0, inAlarm.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/alarms")).StatusCode);
    }

    [Theory]
    [InlineData("/v1/alarms?stateValue=BROKEN", "stateValue")]
    [InlineData("/v1/alarms?limit=0", "limit")]
    [InlineData("/v1/alarms?cursor=nope", "cursor")]
    [InlineData("/v1/alarms/x/history?historyItemType=Action", "historyItemType")]
    [InlineData("/v1/alarms/%2500", "name")]
    [InlineData("/v1/alarms/%2500/history", "name")]
    public async Task A_bad_filter_is_400_naming_it(string path, string field)
    {
        using var admin = alarms.Host.CreateAdminClient();

        var response = await admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task An_unknown_alarm_is_404()
    {
        using var admin = alarms.Host.CreateAdminClient();

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v1/alarms/no-such-alarm")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v1/alarms/no-such-alarm/history")).StatusCode);
    }
}
