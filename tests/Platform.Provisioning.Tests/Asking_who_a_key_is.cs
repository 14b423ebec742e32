using static Platform.Provisioning.Tests.ProvisioningService;

namespace Platform.Provisioning.Tests;

/// <summary><c>GET /v1/me</c> (every service has it): the presented key's name and role, how the console learns a role.</summary>
[Collection(ProvisioningCollection.Name)]
public sealed class Asking_who_a_key_is(ProvisioningService service)
{
    [Fact]
    public async Task The_bootstrap_key_is_the_admin()
    {
        using var admin = service.Admin();

        var me = await (await admin.GetAsync("/v1/me")).JsonAsync();

        Assert.Equal("bootstrap-admin", me.GetProperty("name").GetString());
        Assert.Equal("admin", me.GetProperty("role").GetString());
    }

    [Theory]
    [InlineData("analyst")]
    [InlineData("ingest")]
    public async Task An_issued_key_answers_its_name_and_role(string role)
    {
        var name = Unique(role);
        using var client = service.Host.CreateClient(await service.IssueKeyAsync(name, role));

        var me = await (await client.GetAsync("/v1/me")).JsonAsync();

        Assert.Equal(name, me.GetProperty("name").GetString());
        Assert.Equal(role, me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Without_a_valid_key_is_401()
    {
        using var anonymous = service.Anonymous();
        using var unknown = service.Host.CreateClient("plk_not-a-key");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await unknown.GetAsync("/v1/me")).StatusCode);
    }
}
