using Platform.Archiver;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// Every service that consumes ingested batches gets each of them: detection evaluates it and the archiver buffers it.
/// A service's instances share its queue; two services never share one (their consumers once did, by class name,
/// and each batch reached detection or the archiver, not both).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class Ingested_batches_reach_every_service(PlatformServices platform)
{
    private const int Batches = 10;

    [Fact]
    public async Task Each_of_ten_cloudtrail_batches_is_both_evaluated_by_detection_and_buffered_by_the_archiver()
    {
        using var bucket = await S3TestBucket.CreateAsync();
        await using var archiver = new Host<ArchiverOptions>(
            PlatformResources.ArchiverDb, platform.Database("archiver"), platform.BusPrefix, bucket.ArchiverSettings(TestServers.S3.ToString()));
        await archiver.WaitUntilReadyAsync();

        // One record per request: each its own batch on the bus.
        var eventIds = Enumerable.Range(0, Batches).Select(_ => Guid.NewGuid().ToString()).ToList();
        using var ingestion = platform.Service("ingestion").Host.CreateClient(ServiceHost<ProvisioningDbContext>.AdminKey);
        foreach (var eventId in eventIds)
        {
            var record = CloudTrailRecords.CreateAccessKey(eventId);
            record["userIdentity"]!["arn"] = $"arn:aws:iam::123456789012:user/{Unique("u")}";
            using var body = new StringContent(new JsonObject { ["Records"] = new JsonArray(record) }.ToJsonString(), Encoding.UTF8, "application/json");
            (await ingestion.PostAsync("/v1/ingest/cloudtrail", body)).EnsureSuccessStatusCode();
        }

        using var detection = platform.Service("detection").Host.CreateClient(ServiceHost<ProvisioningDbContext>.AdminKey);
        var evaluated = await Eventually.ObserveAsync(async () =>
        {
            var findings = await detection.GetFromJsonAsync<JsonElement>("/v1/findings?limit=1000");
            var evidence = findings.GetProperty("items").EnumerateArray()
                .SelectMany(f => f.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("eventId").GetString()));
            return eventIds.Intersect(evidence).Count();
        }, n => n == Batches, TimeSpan.FromSeconds(60));
        using var archiverClient = archiver.CreateAdminClient();
        var buffered = await Eventually.ObserveAsync(
            async () => (await archiverClient.GetFromJsonAsync<JsonElement>("/v1/archive/status")).GetProperty("pendingEvents").GetInt64(),
            n => n >= Batches, TimeSpan.FromSeconds(30));

        Assert.Equal(Batches, evaluated);
        Assert.Equal(Batches, buffered);
    }
}
