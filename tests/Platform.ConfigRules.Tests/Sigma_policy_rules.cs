using static Platform.ConfigRules.Tests.Rules;

namespace Platform.ConfigRules.Tests;

/// <summary>CUSTOM_POLICY rules written in Sigma, matched over the configuration item as Config's notification document.</summary>
public sealed class Sigma_policy_rules
{
    private static string Spec(string yaml, string scope = "") => JsonSerializer.Serialize(new JsonObject
    {
        ["Source"] = new JsonObject
        {
            ["Owner"] = "CUSTOM_POLICY",
            ["SourceDetails"] = new JsonArray(new JsonObject { ["EventSource"] = "aws.config", ["MessageType"] = "ConfigurationItemChangeNotification" }),
            ["CustomPolicyDetails"] = new JsonObject { ["PolicyRuntime"] = "sigma", ["PolicyText"] = yaml },
        },
        ["Scope"] = scope.Length == 0 ? null : JsonNode.Parse(scope),
    });

    private const string PublicInstance = """
        title: Instance with a public address
        logsource: {product: aws, service: config}
        detection:
          selection:
            resourceType: AWS::EC2::Instance
            configuration.publicIpAddress|exists: true
          condition: selection
        """;

    [Fact]
    public void A_match_is_non_compliant_and_no_match_compliant()
    {
        var rule = Compile(Spec(PublicInstance));
        var instance = ConfigurationItemSamples.Sample("AWS_EC2_Instance.json");
        var privateInstance = Items.Of("AWS::EC2::Instance", "i-2", """{"instanceId": "i-2", "privateIpAddress": "10.0.0.1"}""");

        var verdict = OnChange(rule, instance);

        Assert.Equal(ComplianceTypes.NonCompliant, verdict.ComplianceType);
        Assert.Contains("Instance with a public address", verdict.Annotation);
        Assert.Equal(ComplianceTypes.Compliant, OnChange(rule, privateInstance).ComplianceType);
    }

    [Fact]
    public void Embedded_policies_are_addressed_by_their_fields()
    {
        var rule = Compile(Spec("""
            title: Public bucket policy
            logsource: {product: aws, service: config}
            detection:
              selection:
                supplementaryConfiguration.BucketPolicy.policyText.Statement.Effect: Allow
                supplementaryConfiguration.BucketPolicy.policyText.Statement.Principal: '*'
              condition: selection
            """, """{"ComplianceResourceTypes": ["AWS::S3::Bucket"]}"""));
        var open = Items.Bucket("""{"BucketPolicy": {"policyText": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}}}""");
        var closed = Items.Bucket("""{"BucketPolicy": {"policyText": {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*"}]}}}""");

        Assert.Equal(ComplianceTypes.NonCompliant, OnChange(rule, open).ComplianceType);
        Assert.Equal(ComplianceTypes.Compliant, OnChange(rule, closed).ComplianceType);
        Assert.False(rule.IsTriggeredBy(ConfigurationItemSamples.Sample("AWS_EC2_Instance.json")));
    }

    [Fact]
    public void The_items_envelope_fields_and_tags_are_matched_by_configs_names()
    {
        var rule = Compile(Spec("""
            title: Untagged production
            logsource: {product: aws, service: config}
            detection:
              selection:
                awsAccountId: '123456789012'
                configurationItemStatus: OK
                tags.env: prod
              condition: selection
            """));

        Assert.Equal(ComplianceTypes.NonCompliant, OnChange(rule, Items.Bucket(null, tags: new Dictionary<string, string> { ["env"] = "prod" })).ComplianceType);
        Assert.Equal(ComplianceTypes.Compliant, OnChange(rule, Items.Bucket(null)).ComplianceType);
    }

    [Fact]
    public void Tag_scope_selects_the_resources_it_judges()
    {
        var rule = Compile(Spec(PublicInstance, """{"TagKey": "env", "TagValue": "prod"}"""));
        var instance = ConfigurationItemSamples.Sample("AWS_EC2_Instance.json");

        Assert.False(rule.IsTriggeredBy(instance));
        Assert.True(rule.IsTriggeredBy(instance with { Tags = new Dictionary<string, string> { ["env"] = "prod" } }));
        Assert.False(rule.IsTriggeredBy(instance with { Tags = new Dictionary<string, string> { ["env"] = "dev" } }));
    }

    [Fact]
    public void A_deleted_resource_is_not_applicable() =>
        Assert.Equal(ComplianceTypes.NotApplicable, OnChange(Compile(Spec(PublicInstance)), Items.Deleted(ConfigurationItemSamples.Sample("AWS_EC2_Instance.json"))).ComplianceType);

    [Theory]
    [InlineData("title: x\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  s: {eventName: x}\n  condition: s\n", "never matches configuration items")]
    [InlineData("title: x\nlogsource: {product: aws, service: config}\ndetection:\n  s: {resourceType|nope: x}\n  condition: s\n", "unknown modifier 'nope'")]
    [InlineData("title: x\ndetection: [", "invalid YAML")]
    [InlineData("title: a\nlogsource: {product: aws, service: config}\ndetection:\n  s: {resourceType: x}\n  condition: s\n---\ntitle: b\nlogsource: {product: aws, service: config}\ndetection:\n  s: {resourceType: y}\n  condition: s\n", "holds 2 rules")]
    public void A_policy_sigma_refuses_is_refused_naming_the_policy_text(string yaml, string reason)
    {
        var error = Assert.Single(Errors(Spec(yaml)));

        Assert.Equal("Source.CustomPolicyDetails.PolicyText", error.Field);
        Assert.Contains(reason, error.Reason);
    }
}
