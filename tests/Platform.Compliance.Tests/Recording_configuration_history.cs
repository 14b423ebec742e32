using Platform.Compliance.Configuration;
using Platform.Compliance.Timeline;

namespace Platform.Compliance.Tests;

/// <summary>
/// Each resource's history is its configuration stream: the same item twice records once, an older item is history but
/// not current, the history pages newest first within earlierTime/laterTime, and each recorded item is published.
/// </summary>
[Collection(IntakeCollection.Name)]
public sealed class Recording_configuration_history(IntakeHost host)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_same_item_delivered_twice_is_recorded_once_and_published_once()
    {
        var bucket = TestNames.Unique("twice");
        var item = ConfigurationSamples.ApiBucket(bucket, T0).ToJsonString();

        using var first = await host.PostItemsAsync(item);
        using var second = await host.PostItemsAsync(item);
        var again = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, again.GetProperty("recorded").GetInt32());
        Assert.Equal(1, again.GetProperty("unchanged").GetInt32());

        Assert.Single((await host.HistoryAsync("AWS::S3::Bucket", bucket)).GetProperty("items").EnumerateArray());
        var heard = await Eventually.ObserveAsync(
            () => Task.FromResult(host.Heard.Where(h => h.Item.ResourceId == bucket).ToList()), h => h.Count >= 1);
        var recorded = Assert.Single(heard);
        Assert.Equal(1, recorded.Version);
        Assert.Equal("api", recorded.Origin);
        await using var scope = host.Host.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<Platform.EventSourcing.Storage.EventStore>();
        Assert.Equal(1, await store.GetVersionAsync($"configuration/AWS::S3::Bucket/{bucket}", CancellationToken.None));
    }

    [Fact]
    public async Task An_item_older_than_the_current_one_is_history_but_does_not_become_current()
    {
        var bucket = TestNames.Unique("late");
        await host.PostItemsAsync(ConfigurationSamples.ApiBucket(bucket, T0.AddMinutes(10), encrypted: true).ToJsonString());
        using var late = await host.PostItemsAsync(ConfigurationSamples.ApiBucket(bucket, T0).ToJsonString());
        var outcome = (await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items")[0];
        Assert.Equal(2, outcome.GetProperty("version").GetInt64());
        Assert.False(outcome.GetProperty("current").GetBoolean());

        var current = (await host.CurrentAsync("AWS::S3::Bucket", bucket))!.Value;
        Assert.Equal(T0.AddMinutes(10), current.GetProperty("captureTime").GetDateTimeOffset());
        var history = (await host.HistoryAsync("AWS::S3::Bucket", bucket)).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("item").GetProperty("captureTime").GetDateTimeOffset()).ToList();
        Assert.Equal([T0.AddMinutes(10), T0], history);
    }

    [Fact]
    public async Task The_history_pages_newest_first_within_earlier_and_later_time()
    {
        var bucket = TestNames.Unique("paged");
        foreach (var minute in Enumerable.Range(0, 5))
        {
            await host.PostItemsAsync(ConfigurationSamples.ApiBucket(bucket, T0.AddMinutes(minute)).ToJsonString());
        }

        var window = $"?earlierTime={Uri.EscapeDataString(T0.AddMinutes(1).ToString("O"))}&laterTime={Uri.EscapeDataString(T0.AddMinutes(3).ToString("O"))}&limit=2";
        var first = await host.HistoryAsync("AWS::S3::Bucket", bucket, window);
        var second = await host.HistoryAsync("AWS::S3::Bucket", bucket, window + "&cursor=" + first.GetProperty("nextCursor").GetString());
        var minutes = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(i => (int)(i.GetProperty("item").GetProperty("captureTime").GetDateTimeOffset() - T0).TotalMinutes).ToList();
        Assert.Equal([3, 2, 1], minutes);
        Assert.False(second.TryGetProperty("nextCursor", out _));
    }

    [Fact]
    public async Task A_bad_history_query_is_400_naming_the_parameter()
    {
        using var client = host.ClientFor(PlatformRoles.Analyst);
        using var response = await client.GetAsync("/v1/compliance/resources/AWS::S3::Bucket/b/history?earlierTime=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("earlierTime", out _));
    }

    [Theory]
    [InlineData("/v1/configuration/resources/AWS::S3::Bucket/a%2500b", "resourceId")]
    [InlineData("/v1/compliance/resources/AWS::S3%2500::Bucket/b/history", "resourceType")]
    public async Task A_nul_in_the_resource_path_is_400_naming_it(string path, string field)
    {
        using var client = host.ClientFor(PlatformRoles.Analyst);
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task A_resource_never_recorded_has_no_current_configuration()
    {
        Assert.Null(await host.CurrentAsync("AWS::S3::Bucket", TestNames.Unique("never")));
    }

    [Fact]
    public async Task The_timeline_source_lists_each_change_with_its_origin()
    {
        var trail = TestNames.Unique("timeline");
        await host.PostItemsAsync(ConfigurationSamples.NotificationTrail(trail, T0, isLogging: true).ToJsonString());
        var deleted = ConfigurationSamples.NotificationTrail(trail, T0.AddMinutes(1), isLogging: true);
        deleted["configurationItemStatus"] = "ResourceDeleted";
        await host.PostItemsAsync(ConfigurationSamples.ChangeNotification(deleted).ToJsonString());

        await using var scope = host.Host.Services.CreateAsyncScope();
        var source = Assert.Single(scope.ServiceProvider.GetServices<ITimelineSource>().OfType<ConfigurationTimelineSource>());
        var entries = await source.ReadAsync("AWS::CloudTrail::Trail", trail, CancellationToken.None);
        Assert.Equal(["Configuration recorded (api)", "Resource deleted (notification)"], entries.Select(e => e.Summary));
        Assert.Equal([T0, T0.AddMinutes(1)], entries.Select(e => e.At));
        var current = (await host.CurrentAsync("AWS::CloudTrail::Trail", trail))!.Value;
        Assert.False(current.TryGetProperty("configuration", out _));
    }
}
