namespace Platform.EndToEnd.Tests;

/// <summary>Every /v1 endpoint of every service needs a key (401), and a role that allows the call (403).</summary>
[Collection(PlatformCollection.Name)]
public sealed class Roles_across_services(PlatformServices platform)
{
    [Fact]
    public async Task Every_service_answers_401_without_a_key()
    {
        foreach (var service in platform.All)
        {
            using var anonymous = service.Host.CreateClient(apiKey: null);

            var response = await anonymous.GetAsync(service.ReadPath);

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{service.Name}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task An_ingest_key_is_403_on_every_read_endpoint()
    {
        var key = await platform.IssueKeyAsync(Unique("shipper"), PlatformRoles.Ingest);

        // Services whose /v1 endpoints do not exist yet answer 404 to any key; they join this list as they get endpoints.
        foreach (var service in platform.All)
        {
            await WaitForStatusAsync(service, key, HttpStatusCode.Forbidden, TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task An_analyst_key_reads_every_service()
    {
        var key = await platform.IssueKeyAsync(Unique("soc"), PlatformRoles.Analyst);

        foreach (var service in platform.All)
        {
            await WaitForStatusAsync(service, key, HttpStatusCode.OK, TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>The roles text comes from each endpoint's policies: an admin-only operation says admin alone.</summary>
    [Theory]
    [InlineData("provisioning", "issue-api-key", "(revoke it first). Roles: admin.")]
    [InlineData("provisioning", "list-stacks", "when last applied. Roles: admin, analyst.")]
    [InlineData("ingestion", "post /v1/ingest/firehose", "Roles: ingest, admin.")]
    [InlineData("compliance", "PutEvaluations", "TestMode checks without recording. Roles: admin, ingest.")]
    [InlineData("alerting", "GetDelivery", "Roles: admin, analyst.")]
    [InlineData("detection", "ListFindings", "(the previous page's `nextCursor`). Roles: admin, analyst.")]
    public async Task Each_operation_describes_the_roles_that_may_call_it(string serviceName, string operationId, string descriptionEnd)
    {
        var operations = await OperationsAsync(platform.Service(serviceName));

        Assert.EndsWith(descriptionEnd, operations[operationId]);
    }

    [Fact]
    public async Task Every_operation_of_every_service_names_its_roles_once()
    {
        var unnamed = new List<string>();
        foreach (var service in platform.All)
        {
            // GetCaller (/v1/me) answers any valid key, whatever its role: it names none.
            foreach (var (operation, description) in (await OperationsAsync(service)).Where(o => o.Key != "GetCaller"))
            {
                if (description.Split("Roles:").Length != 2)
                {
                    unnamed.Add($"{service.Name} {operation}: {description}");
                }
            }
        }

        Assert.Empty(unnamed);
    }

    /// <summary>Each operation of the service's OpenAPI document by its id (method and path when it has none), with its description.</summary>
    private static async Task<Dictionary<string, string>> OperationsAsync(RunningService service)
    {
        using var client = service.Host.CreateClient(ServiceHost<ProvisioningDbContext>.AdminKey);
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        return document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("responses", out _))
                .Select(o => (
                    Id: o.Value.TryGetProperty("operationId", out var id) ? id.GetString()! : $"{o.Name} {path.Name}",
                    Description: o.Value.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "")))
            .ToDictionary(o => o.Id, o => o.Description);
    }
}
