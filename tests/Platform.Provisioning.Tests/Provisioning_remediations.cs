using System.Text.Json.Nodes;
using static Platform.Provisioning.Tests.ProvisioningService;

namespace Platform.Provisioning.Tests;

/// <summary>
/// Kind <c>remediations</c>: one element of put_remediation_configurations' RemediationConfigurations, named after its
/// rule, read with the parser the compliance service runs; a remediation of a rule that does not exist is accepted with a warning.
/// </summary>
[Collection(ProvisioningCollection.Name)]
public sealed class Provisioning_remediations(ProvisioningService service)
{
    /// <summary>The seed's put_remediation_configurations element, as written, for the rule <paramref name="rule"/>.</summary>
    private static JsonObject Seed(string rule) => JsonNode.Parse(SeedRemediations.S3BucketEncryption(rule))!.AsObject();

    private Task<HttpResponseMessage> PutAsync(string kind, string name, JsonNode body) => service.PutAsync(kind, name, JsonText(body.ToJsonString()));

    [Fact]
    public async Task The_seeds_remediation_of_an_existing_rule_provisions_as_written_without_warning()
    {
        var rule = Unique("s3-encryption");
        using var created = await PutAsync("config-rules", rule, JsonNode.Parse("""{"Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED"}}""")!);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var response = await PutAsync("remediations", rule, Seed(rule));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.False(body.TryGetProperty("warnings", out _));
        var spec = body.GetProperty("spec");
        Assert.Equal("AWS-EnableS3BucketEncryption", spec.GetProperty("TargetId").GetString());
        Assert.Equal("RESOURCE_ID", spec.GetProperty("Parameters").GetProperty("BucketName").GetProperty("ResourceValue").GetProperty("Value").GetString());
        Assert.True(spec.GetProperty("Automatic").GetBoolean());
    }

    [Fact]
    public async Task A_remediation_of_a_rule_that_does_not_exist_is_accepted_with_a_warning()
    {
        var rule = Unique("no-rule");

        using var response = await PutAsync("remediations", rule, Seed(rule));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var warning = Assert.Single((await response.JsonAsync()).GetProperty("warnings").EnumerateArray()).GetString()!;
        Assert.StartsWith($"No config rule '{rule}' exists", warning);
    }

    [Theory]
    [MemberData(nameof(SeedRemediations.Refusals), MemberType = typeof(SeedRemediations))]
    public async Task What_put_remediation_configurations_refuses_is_refused_with_400_naming_the_field(string field, string value, string errorField, string reason)
    {
        var rule = Unique("refused");
        var spec = Seed(rule);
        spec[field] = JsonNode.Parse(value);

        using var response = await PutAsync("remediations", rule, spec);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = await response.ProblemFieldsAsync();
        Assert.Contains(reason, Assert.Single(fields, f => f.Key == errorField).Value.Single());
    }
}
