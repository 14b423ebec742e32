namespace Platform.Provisioning.Tests;

[Collection(ProvisioningCollection.Name)]
public sealed class Api_keys(ProvisioningService service)
{
    [Fact]
    public async Task An_issued_key_is_shown_once_and_works_at_once()
    {
        using var admin = service.Admin();
        var name = Unique("reader");

        var issued = await admin.PostAsJsonAsync("/v1/api-keys", new { name, role = "analyst" });

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var body = await issued.JsonAsync();
        var key = body.GetProperty("key").GetString()!;
        Assert.StartsWith("plk_", key);
        Assert.True(key.Length >= 40);
        Assert.Equal("analyst", body.GetProperty("role").GetString());
        using var reader = service.Host.CreateClient(key);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/v1/sources")).StatusCode);

        var listed = await (await admin.GetAsync("/v1/api-keys")).Content.ReadAsStringAsync();
        Assert.Contains(name, listed);
        Assert.DoesNotContain(key, listed);
        Assert.DoesNotContain(key[4..], listed);
    }

    [Fact]
    public async Task A_revoked_key_is_refused()
    {
        using var admin = service.Admin();
        var name = Unique("temp");
        var key = await service.IssueKeyAsync(name, "admin");
        using var client = service.Host.CreateClient(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/sources")).StatusCode);

        var revoked = await admin.DeleteAsync($"/v1/api-keys/{name}");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/sources")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/v1/api-keys/{name}")).StatusCode);
        var history = (await (await admin.GetAsync($"/v1/api-keys/{name}/history")).JsonAsync()).EnumerateArray().ToList();
        Assert.Equal(["issued", "revoked"], history.Select(h => h.GetProperty("change").GetString()));
        Assert.All(history, h => Assert.Equal("bootstrap-admin", h.GetProperty("by").GetString()));
    }

    [Fact]
    public async Task A_name_in_use_is_409()
    {
        var name = Unique("dup");
        await service.IssueKeyAsync(name, "ingest");
        using var admin = service.Admin();

        var again = await admin.PostAsJsonAsync("/v1/api-keys", new { name, role = "ingest" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task An_unknown_role_and_a_bad_name_are_400_naming_both()
    {
        using var admin = service.Admin();

        var response = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "has space", role = "superuser" });

        var fields = await response.ProblemFieldsAsync();
        Assert.Equal(["name", "role"], fields.Keys.Order());
        Assert.Contains("superuser", fields["role"][0]);
    }

    [Fact]
    public async Task The_bootstrap_key_name_is_reserved()
    {
        using var admin = service.Admin();

        var response = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "bootstrap-admin", role = "admin" });

        Assert.Equal(["name"], (await response.ProblemFieldsAsync()).Keys);
    }
}
