namespace Platform.Provisioning.Tests;

[Collection(ProvisioningCollection.Name)]
public sealed class Reading_deleting_and_history(ProvisioningService service)
{
    [Fact]
    public async Task Get_returns_the_resource_with_its_etag()
    {
        using var admin = service.Admin();
        var name = Unique("src");
        await admin.PutAsync($"/v1/sources/{name}", Json(Source()));

        var response = await admin.GetAsync($"/v1/sources/{name}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
        Assert.Equal("security-logs", (await response.JsonAsync()).GetProperty("spec").GetProperty("streamName").GetString());
    }

    [Fact]
    public async Task List_holds_every_resource_of_the_kind()
    {
        using var admin = service.Admin();
        var names = new[] { Unique("rule"), Unique("rule") };
        foreach (var name in names)
        {
            await admin.PutAsync($"/v1/detection-rules/{name}", Yaml(RootRule));
        }

        var list = await (await admin.GetAsync("/v1/detection-rules")).JsonAsync();

        var listed = list.EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.All(names, name => Assert.Contains(name, listed));
        Assert.All(list.EnumerateArray(), r => Assert.Equal("detection-rules", r.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Delete_is_204_then_the_resource_is_gone()
    {
        using var admin = service.Admin();
        var path = $"/v1/suppression-rules/{Unique("sup")}";
        await admin.PutAsync(path, Json(new { criteria = new { severity = new[] { "low" } }, reason = "noise" }));

        var deleted = await admin.DeleteAsync(path);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync(path)).StatusCode);
    }

    [Fact]
    public async Task An_absent_resource_is_404_problem()
    {
        using var admin = service.Admin();

        var response = await admin.GetAsync($"/v1/log-groups/{Unique("none")}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task History_shows_every_change_with_who_made_it_and_when()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var operatorKey = await service.IssueKeyAsync(Unique("operator"), "admin");
        using var admin = service.Admin();
        using var operatorClient = service.Host.CreateClient(operatorKey);
        var path = $"/v1/log-groups/{Unique("lg")}";
        await admin.PutAsync(path, Json(LogGroup(30)));
        await operatorClient.PutAsync(path, Json(LogGroup(90)));
        await admin.DeleteAsync(path);
        await operatorClient.PutAsync(path, Json(LogGroup(7)));

        var history = (await (await admin.GetAsync($"{path}/history")).JsonAsync()).EnumerateArray().ToList();

        Assert.Equal(["created", "changed", "deleted", "created"], history.Select(h => h.GetProperty("change").GetString()));
        Assert.Equal([1L, 2, 3, 4], history.Select(h => h.GetProperty("version").GetInt64()));
        var operatorName = history[1].GetProperty("by").GetString();
        Assert.StartsWith("operator-", operatorName);
        Assert.Equal(["bootstrap-admin", operatorName, "bootstrap-admin", operatorName], history.Select(h => h.GetProperty("by").GetString()));
        Assert.All(history, h => Assert.InRange(h.GetProperty("at").GetDateTimeOffset(), before, DateTimeOffset.UtcNow.AddSeconds(5)));
        Assert.Equal(90, history[1].GetProperty("spec").GetProperty("retentionInDays").GetInt32());
        Assert.False(history[2].TryGetProperty("spec", out _));
    }
}
