using static Platform.Provisioning.Tests.ProvisioningService;

namespace Platform.Provisioning.Tests;

[Collection(ProvisioningCollection.Name)]
public sealed class Optimistic_concurrency(ProvisioningService service)
{
    private static HttpRequestMessage Put(string path, object body, string? ifMatch = null, string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = Json(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }
        return request;
    }

    [Fact]
    public async Task A_stale_if_match_is_412_and_changes_nothing()
    {
        using var admin = service.Admin();
        var path = $"/v1/log-groups/{Unique("lg")}";
        await admin.PutAsync(path, Json(LogGroup(30)));
        await admin.PutAsync(path, Json(LogGroup(60)));

        var stale = await admin.SendAsync(Put(path, LogGroup(90), ifMatch: "\"1\""));

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        var current = await (await admin.GetAsync(path)).JsonAsync();
        Assert.Equal(60, current.GetProperty("spec").GetProperty("retentionInDays").GetInt32());
    }

    [Fact]
    public async Task The_current_etag_is_accepted()
    {
        using var admin = service.Admin();
        var path = $"/v1/log-groups/{Unique("lg")}";
        var created = await admin.PutAsync(path, Json(LogGroup(30)));

        var changed = await admin.SendAsync(Put(path, LogGroup(90), ifMatch: created.Headers.ETag!.Tag));

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("\"2\"", changed.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Two_writers_with_the_same_etag_one_wins_one_gets_412()
    {
        using var admin = service.Admin();
        var path = $"/v1/log-groups/{Unique("lg")}";
        var etag = (await admin.PutAsync(path, Json(LogGroup(30)))).Headers.ETag!.Tag;

        using var start = new SemaphoreSlim(0);
        var writers = new[] { 60, 90, 120, 150 }.Select(async days =>
        {
            using var client = service.Admin();
            await start.WaitAsync();
            return await client.SendAsync(Put(path, LogGroup(days), ifMatch: etag));
        }).ToArray();
        start.Release(writers.Length);
        var statuses = (await Task.WhenAll(writers)).Select(r => r.StatusCode).ToList();

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(writers.Length - 1, statuses.Count(s => s == HttpStatusCode.PreconditionFailed));
        var history = await (await admin.GetAsync($"{path}/history")).JsonAsync();
        Assert.Equal(2, history.GetArrayLength());
    }

    [Fact]
    public async Task If_none_match_star_creates_only()
    {
        using var admin = service.Admin();
        var path = $"/v1/log-groups/{Unique("lg")}";

        var created = await admin.SendAsync(Put(path, LogGroup(30), ifNoneMatch: "*"));
        var again = await admin.SendAsync(Put(path, LogGroup(60), ifNoneMatch: "*"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, again.StatusCode);
    }

    [Fact]
    public async Task A_delete_with_a_stale_etag_is_412()
    {
        using var admin = service.Admin();
        var path = $"/v1/log-groups/{Unique("lg")}";
        await admin.PutAsync(path, Json(LogGroup(30)));
        await admin.PutAsync(path, Json(LogGroup(60)));
        var delete = new HttpRequestMessage(HttpMethod.Delete, path);
        delete.Headers.TryAddWithoutValidation("If-Match", "\"1\"");

        var response = await admin.SendAsync(delete);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task A_malformed_if_match_is_400_naming_the_header()
    {
        using var admin = service.Admin();

        var response = await admin.SendAsync(Put($"/v1/log-groups/{Unique("lg")}", LogGroup(30), ifMatch: "version-one"));

        Assert.Equal(["If-Match"], (await response.ProblemFieldsAsync()).Keys);
    }

    [Fact]
    public async Task An_if_match_list_holding_the_current_etag_is_accepted()
    {
        using var admin = service.Admin();
        var path = $"/v1/log-groups/{Unique("lg")}";
        await admin.PutAsync(path, Json(LogGroup(30)));

        var changed = await admin.SendAsync(Put(path, LogGroup(90), ifMatch: "\"7\", \"1\""));

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    [Fact]
    public async Task A_weak_etag_never_matches_if_match()
    {
        using var admin = service.Admin();
        var path = $"/v1/log-groups/{Unique("lg")}";
        await admin.PutAsync(path, Json(LogGroup(30)));

        var weak = await admin.SendAsync(Put(path, LogGroup(90), ifMatch: "W/\"1\""));

        Assert.Equal(HttpStatusCode.PreconditionFailed, weak.StatusCode);
        var current = await (await admin.GetAsync(path)).JsonAsync();
        Assert.Equal(30, current.GetProperty("spec").GetProperty("retentionInDays").GetInt32());
    }

    [Fact]
    public async Task If_match_star_changes_only_what_exists()
    {
        using var admin = service.Admin();
        var path = $"/v1/log-groups/{Unique("lg")}";

        var absent = await admin.SendAsync(Put(path, LogGroup(30), ifMatch: "*"));
        await admin.PutAsync(path, Json(LogGroup(30)));
        var present = await admin.SendAsync(Put(path, LogGroup(60), ifMatch: "*"));

        Assert.Equal(HttpStatusCode.PreconditionFailed, absent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, present.StatusCode);
    }

    [Fact]
    public async Task If_none_match_compares_weakly()
    {
        using var admin = service.Admin();
        var path = $"/v1/log-groups/{Unique("lg")}";
        await admin.PutAsync(path, Json(LogGroup(30)));

        var current = await admin.SendAsync(Put(path, LogGroup(60), ifNoneMatch: "W/\"1\""));
        var other = await admin.SendAsync(Put(path, LogGroup(60), ifNoneMatch: "\"5\""));

        Assert.Equal(HttpStatusCode.PreconditionFailed, current.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
