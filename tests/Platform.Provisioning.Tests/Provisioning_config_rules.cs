using static Platform.Provisioning.Tests.ProvisioningService;

namespace Platform.Provisioning.Tests;

/// <summary>
/// Kind <c>config-rules</c>: put_config_rule's ConfigRule as the seed writes it, checked at the door with the compiler
/// the compliance service runs, a bad spec answered 400 naming the field under the spec.
/// </summary>
[Collection(ProvisioningCollection.Name)]
public sealed class Provisioning_config_rules(ProvisioningService service)
{
    /// <summary>The seed's custom rule: config.put_config_rule(ConfigRule={...}) as written, as JSON.</summary>
    private const string SeedCustomRule = """
        {
          "ConfigRuleName": "custom-s3-bucket-policy-check",
          "Description": "S3バケットポリシーのパブリックアクセスをチェック",
          "Source": {
            "Owner": "CUSTOM_LAMBDA",
            "SourceIdentifier": "arn:aws:lambda:us-east-1:123456789012:function:config-rule-s3",
            "SourceDetails": [{"EventSource": "aws.config", "MessageType": "ConfigurationItemChangeNotification"}]
          },
          "Scope": {"ComplianceResourceTypes": ["AWS::S3::Bucket"]}
        }
        """;

    private Task<HttpResponseMessage> PutAsync(string name, string json) => service.PutAsync("config-rules", name, JsonText(json));

    [Theory]
    [InlineData("s3-bucket-server-side-encryption-enabled", "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED")]
    [InlineData("ec2-instance-no-public-ip", "EC2_INSTANCE_NO_PUBLIC_IP")]
    [InlineData("iam-password-policy", "IAM_PASSWORD_POLICY")]
    [InlineData("root-account-mfa-enabled", "ROOT_ACCOUNT_MFA_ENABLED")]
    [InlineData("cloudtrail-enabled", "CLOUD_TRAIL_ENABLED")]
    public async Task The_seeds_managed_rules_provision_as_written(string name, string identifier)
    {
        var unique = Unique(name);

        using var response = await PutAsync(unique, $$$"""{"ConfigRuleName": "{{{unique}}}", "Source": {"Owner": "AWS", "SourceIdentifier": "{{{identifier}}}"}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var spec = (await response.JsonAsync()).GetProperty("spec");
        Assert.Equal(identifier, spec.GetProperty("Source").GetProperty("SourceIdentifier").GetString());
    }

    [Fact]
    public async Task The_seeds_custom_lambda_rule_provisions_as_written_and_its_function_is_not_called()
    {
        using var response = await PutAsync("custom-s3-bucket-policy-check", SeedCustomRule);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var spec = (await response.JsonAsync()).GetProperty("spec");
        Assert.Equal("CUSTOM_LAMBDA", spec.GetProperty("Source").GetProperty("Owner").GetString());
        Assert.Equal("AWS::S3::Bucket", spec.GetProperty("Scope").GetProperty("ComplianceResourceTypes")[0].GetString());
    }

    [Fact]
    public async Task Parameters_as_awss_string_are_kept_as_given()
    {
        var name = Unique("password");

        using var response = await PutAsync(name, """
            {"Source": {"Owner": "AWS", "SourceIdentifier": "IAM_PASSWORD_POLICY"},
             "InputParameters": "{\"MinimumPasswordLength\":\"16\",\"RequireSymbols\":\"true\"}",
             "MaximumExecutionFrequency": "Twelve_Hours"}
            """);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var spec = (await response.JsonAsync()).GetProperty("spec");
        Assert.Equal("""{"MinimumPasswordLength":"16","RequireSymbols":"true"}""", spec.GetProperty("InputParameters").GetString());
    }

    [Fact]
    public async Task A_sigma_policy_rule_provisions()
    {
        var policy = "title: Public instance\nlogsource: {product: aws, service: config}\ndetection:\n  selection:\n    configuration.publicIpAddress|exists: true\n  condition: selection\n";
        var body = JsonSerializer.Serialize(new
        {
            Source = new
            {
                Owner = "CUSTOM_POLICY",
                SourceDetails = new[] { new { EventSource = "aws.config", MessageType = "ConfigurationItemChangeNotification" } },
                CustomPolicyDetails = new { PolicyRuntime = "sigma", PolicyText = policy },
            },
            Scope = new { ComplianceResourceTypes = new[] { "AWS::EC2::Instance" } },
        });

        using var response = await PutAsync(Unique("public-instance"), body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"Source": {"Owner": "AWS", "SourceIdentifier": "NO_SUCH_RULE"}}""", "Source.SourceIdentifier", "is not a managed rule the platform runs")]
    [InlineData("""{"Source": {"Owner": "AWS", "SourceIdentifier": "IAM_PASSWORD_POLICY"}, "InputParameters": {"MinimumPasswordLength": "200"}}""", "InputParameters.MinimumPasswordLength", "out of range: 6 to 128")]
    [InlineData("""{"Source": {"Owner": "AWS", "SourceIdentifier": "IAM_PASSWORD_POLICY"}, "InputParameters": {"MinLength": "8"}}""", "InputParameters.MinLength", "is not a parameter of IAM_PASSWORD_POLICY")]
    [InlineData("""{"Source": {"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": "f", "SourceDetails": [{"EventSource": "aws.config", "MessageType": "ConfigurationItemChangeNotification", "MaximumExecutionFrequency": "One_Hour"}]}}""", "Source.SourceDetails[0].MaximumExecutionFrequency", "applies only to the ScheduledNotification")]
    [InlineData("""{"Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED"}, "Scope": {"ComplianceResourceId": "b"}}""", "Scope.ComplianceResourceId", "needs exactly one resource type")]
    [InlineData("""{"Source": {"Owner": "AWS", "SourceIdentifier": "CLOUD_TRAIL_ENABLED"}, "Scope": {"TagValue": "x"}}""", "Scope.TagValue", "needs TagKey")]
    [InlineData("""{"Source": {"Owner": "AWS", "SourceIdentifier": "CLOUD_TRAIL_ENABLED"}, "MaximumExecutionFrequency": "Daily"}""", "MaximumExecutionFrequency", "unknown frequency 'Daily'")]
    [InlineData("""{"ConfigRuleName": "another-name", "Source": {"Owner": "AWS", "SourceIdentifier": "CLOUD_TRAIL_ENABLED"}}""", "ConfigRuleName", "differs from the resource's name")]
    [InlineData("""{"Source": {"Owner": "AWS", "SourceIdentifier": "CLOUD_TRAIL_ENABLED", "Identifier": "x"}}""", "Source.Identifier", "is not a field of this kind")]
    public async Task What_put_config_rule_refuses_is_refused_with_400_naming_the_field(string json, string field, string reason)
    {
        using var response = await PutAsync(Unique("refused"), json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = await response.ProblemFieldsAsync();
        Assert.Contains(reason, Assert.Single(fields, f => f.Key == field).Value.Single());
    }
}
