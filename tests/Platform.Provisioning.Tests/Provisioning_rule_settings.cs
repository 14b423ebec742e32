using static Platform.Provisioning.Tests.ProvisioningService;

namespace Platform.Provisioning.Tests;

/// <summary>
/// Kind <c>rule-settings</c>: a detection rule's disposition (alert or signal) and whether it runs, by rule id; a
/// setting that says nothing, names no rule or gives an unknown disposition is refused naming the field.
/// </summary>
[Collection(ProvisioningCollection.Name)]
public sealed class Provisioning_rule_settings(ProvisioningService service)
{
    private Task<HttpResponseMessage> PutAsync(string name, string json) => service.PutAsync("rule-settings", name, JsonText(json));

    [Fact]
    public async Task A_rule_made_a_signal_is_provisioned_as_written()
    {
        using var response = await PutAsync(Unique("assume-role"), """{"ruleId": " 905d389b-b853-46d0-9d3d-dea0d3a3cd49 ", "disposition": "signal"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var spec = (await response.JsonAsync()).GetProperty("spec");
        Assert.Equal("905d389b-b853-46d0-9d3d-dea0d3a3cd49", spec.GetProperty("ruleId").GetString());
        Assert.Equal("signal", spec.GetProperty("disposition").GetString());
        Assert.False(spec.TryGetProperty("enabled", out _));
    }

    [Theory]
    [InlineData("""{"disposition": "signal"}""", "ruleId")]
    [InlineData("""{"ruleId": "r", "disposition": "page"}""", "disposition")]
    [InlineData("""{"ruleId": "r"}""", "body")]
    [InlineData("""{"ruleId": "r", "enabled": true, "severity": "high"}""", "severity")]
    public async Task A_wrong_setting_is_refused_naming_the_field(string json, string field)
    {
        using var response = await PutAsync(Unique("setting"), json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await response.ProblemFieldsAsync()).Keys);
    }
}
