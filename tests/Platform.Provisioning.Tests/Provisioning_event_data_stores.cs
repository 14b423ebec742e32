using static Platform.Provisioning.Tests.ProvisioningService;

namespace Platform.Provisioning.Tests;

/// <summary>
/// Kind <c>event-data-stores</c>: create_event_data_store's fields as the seed writes them, checked at the door with the
/// code ingestion queries stores with; termination protection refuses a delete as CloudTrail does.
/// </summary>
[Collection(ProvisioningCollection.Name)]
public sealed class Provisioning_event_data_stores(ProvisioningService service)
{
    private Task<HttpResponseMessage> PutAsync(string name, string json) => service.PutAsync("event-data-stores", name, JsonText(json));

    [Fact]
    public async Task The_seeds_store_provisions_as_written_with_awss_defaults_filled_in()
    {
        var name = Unique("security-events");

        using var response = await PutAsync(name, $$"""{"Name": "{{name}}", "RetentionPeriod": 365, "TerminationProtectionEnabled": true}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var spec = (await response.JsonAsync()).GetProperty("spec");
        Assert.Equal(365, spec.GetProperty("RetentionPeriod").GetInt32());
        Assert.True(spec.GetProperty("MultiRegionEnabled").GetBoolean());
        Assert.False(spec.GetProperty("OrganizationEnabled").GetBoolean());
        var selector = spec.GetProperty("AdvancedEventSelectors")[0].GetProperty("FieldSelectors")[0];
        Assert.Equal("eventCategory", selector.GetProperty("Field").GetString());
        Assert.Equal("Management", selector.GetProperty("Equals")[0].GetString());
    }

    [Theory]
    [InlineData("""{"RetentionPeriod": 3}""", "RetentionPeriod")]
    [InlineData("""{"Name": "other-store"}""", "Name")]
    [InlineData("""{"AdvancedEventSelectors": [{"Name": "x", "FieldSelectors": [{"Field": "resources.nope", "Equals": ["x"]}]}]}""", "AdvancedEventSelectors[0].FieldSelectors[0].Field")]
    [InlineData("""{"AdvancedEventSelectors": [{"Name": "x", "FieldSelectors": [{"Field": "readOnly", "Equals": ["maybe"]}]}]}""", "AdvancedEventSelectors[0].FieldSelectors[0].Equals")]
    [InlineData("""{"AdvancedEventSelectors": [{"Name": "x", "FieldSelectors": [{"Field": "eventName"}]}]}""", "AdvancedEventSelectors[0].FieldSelectors[0]")]
    [InlineData("""{"Retention": 30}""", "Retention")]
    public async Task A_wrong_field_is_refused_naming_it(string json, string field)
    {
        using var response = await PutAsync(Unique("store"), json);

        Assert.Contains(field, (await response.ProblemFieldsAsync()).Keys);
    }

    [Fact]
    public async Task Termination_protection_refuses_a_delete_until_it_is_turned_off()
    {
        var name = Unique("protected");
        using var admin = service.Admin();
        (await PutAsync(name, "{}")).EnsureSuccessStatusCode();

        using var refused = await admin.DeleteAsync($"/v1/event-data-stores/{name}");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("termination protection", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/event-data-stores/{name}")).StatusCode);

        (await PutAsync(name, """{"TerminationProtectionEnabled": false}""")).EnsureSuccessStatusCode();
        using var deleted = await admin.DeleteAsync($"/v1/event-data-stores/{name}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task A_stack_that_drops_a_protected_store_is_refused_and_changes_nothing()
    {
        string stack = Unique("lake-stack"), store = Unique("lake"), group = Unique("lake-group");
        using var admin = service.Admin();
        var both = $"resources:\n  - kind: event-data-stores\n    name: {store}\n    spec: {{RetentionPeriod: 90}}\n  - kind: log-groups\n    name: {group}\n    spec: {{retentionInDays: 30}}\n";
        (await admin.PutAsync($"/v1/stacks/{stack}", Yaml(both))).EnsureSuccessStatusCode();

        using var refused = await admin.PutAsync($"/v1/stacks/{stack}", Yaml($"resources:\n  - kind: log-groups\n    name: {group}\n    spec: {{retentionInDays: 60}}\n"));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/event-data-stores/{store}")).StatusCode);
        var logGroup = await (await admin.GetAsync($"/v1/log-groups/{group}")).JsonAsync();
        Assert.Equal(30, logGroup.GetProperty("spec").GetProperty("retentionInDays").GetInt32());
    }
}
