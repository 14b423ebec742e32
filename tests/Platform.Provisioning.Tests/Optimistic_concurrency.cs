namespace Platform.Provisioning.Tests;

[Collection(ProvisioningCollection.Name)]
public sealed class Optimistic_concurrency(ProvisioningService service)
{
    /// <summary>A request carrying one precondition header, sent as written (no client-side validation of the tag).</summary>
    private static HttpRequestMessage Conditional(HttpMethod method, string path, string header, string value, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json(body) };
        request.Headers.TryAddWithoutValidation(header, value);
        return request;
    }

    private static string NewLogGroupPath() => $"/v1/log-groups/{Unique("lg")}";

    /// <summary>A new log group at version <paramref name="versions"/>, 30 days more retention each version, so a test knows its ETag.</summary>
    private static async Task<string> LogGroupAtVersionAsync(HttpClient admin, int versions)
    {
        var path = NewLogGroupPath();
        for (var version = 1; version <= versions; version++)
        {
            await admin.PutAsync(path, Json(LogGroup(30 * version)));
        }
        return path;
    }

    private static async Task<int> RetentionAsync(HttpClient admin, string path) =>
        (await (await admin.GetAsync(path)).JsonAsync()).GetProperty("spec").GetProperty("retentionInDays").GetInt32();

    [Fact]
    public async Task A_stale_if_match_is_412_and_changes_nothing()
    {
        using var admin = service.Admin();
        var path = await LogGroupAtVersionAsync(admin, versions: 2);

        var stale = await admin.SendAsync(Conditional(HttpMethod.Put, path, "If-Match", "\"1\"", LogGroup(90)));

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        Assert.Equal(60, await RetentionAsync(admin, path));
    }

    [Fact]
    public async Task The_current_etag_is_accepted()
    {
        using var admin = service.Admin();
        var path = NewLogGroupPath();
        var created = await admin.PutAsync(path, Json(LogGroup(30)));

        var changed = await admin.SendAsync(Conditional(HttpMethod.Put, path, "If-Match", created.Headers.ETag!.Tag, LogGroup(90)));

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("\"2\"", changed.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Two_writers_with_the_same_etag_one_wins_one_gets_412()
    {
        using var admin = service.Admin();
        var path = NewLogGroupPath();
        var etag = (await admin.PutAsync(path, Json(LogGroup(30)))).Headers.ETag!.Tag;

        using var start = new SemaphoreSlim(0);
        var writers = new[] { 60, 90, 120, 150 }.Select(async days =>
        {
            using var client = service.Admin();
            await start.WaitAsync();
            return await client.SendAsync(Conditional(HttpMethod.Put, path, "If-Match", etag, LogGroup(days)));
        }).ToArray();
        start.Release(writers.Length);
        var statuses = (await Task.WhenAll(writers)).Select(r => r.StatusCode).ToList();

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(writers.Length - 1, statuses.Count(s => s == HttpStatusCode.PreconditionFailed));
        var history = await (await admin.GetAsync($"{path}/history")).JsonAsync();
        Assert.Equal(2, history.GetArrayLength());
    }

    /// <summary>RFC 9110: If-Match compares strongly (a weak tag never matches), If-None-Match weakly; a list matches when any member does.</summary>
    [Theory]
    [InlineData("If-Match", "\"7\", \"1\"", HttpStatusCode.OK)]
    [InlineData("If-Match", "W/\"1\"", HttpStatusCode.PreconditionFailed)]
    [InlineData("If-Match", "*", HttpStatusCode.OK)]
    [InlineData("If-None-Match", "W/\"1\"", HttpStatusCode.PreconditionFailed)]
    [InlineData("If-None-Match", "\"5\"", HttpStatusCode.OK)]
    [InlineData("If-None-Match", "*", HttpStatusCode.PreconditionFailed)]
    public async Task A_conditional_put_on_version_1_changes_it_only_when_the_condition_holds(string header, string value, HttpStatusCode expected)
    {
        using var admin = service.Admin();
        var path = await LogGroupAtVersionAsync(admin, versions: 1);

        var response = await admin.SendAsync(Conditional(HttpMethod.Put, path, header, value, LogGroup(60)));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK ? 60 : 30, await RetentionAsync(admin, path));
    }

    [Theory]
    [InlineData("If-Match", HttpStatusCode.PreconditionFailed)]
    [InlineData("If-None-Match", HttpStatusCode.Created)]
    public async Task A_put_with_a_star_condition_on_an_absent_resource_creates_only_under_if_none_match(string header, HttpStatusCode expected)
    {
        using var admin = service.Admin();

        var response = await admin.SendAsync(Conditional(HttpMethod.Put, NewLogGroupPath(), header, "*", LogGroup(30)));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_delete_with_a_stale_etag_is_412()
    {
        using var admin = service.Admin();
        var path = await LogGroupAtVersionAsync(admin, versions: 2);

        var response = await admin.SendAsync(Conditional(HttpMethod.Delete, path, "If-Match", "\"1\""));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task A_malformed_if_match_is_400_naming_the_header()
    {
        using var admin = service.Admin();

        var response = await admin.SendAsync(Conditional(HttpMethod.Put, NewLogGroupPath(), "If-Match", "version-one", LogGroup(30)));

        Assert.Equal(["If-Match"], (await response.ProblemFieldsAsync()).Keys);
    }
}
