namespace Platform.ConfigRules.Tests;

/// <summary>put_remediation_configurations' rules, read into the typed form the compliance service runs.</summary>
public sealed class Reading_remediation_configurations
{
    private const string Rule = "s3-bucket-server-side-encryption-enabled";

    /// <summary>The seed's remediation configuration, as written.</summary>
    private static readonly string Seed = SeedRemediations.S3BucketEncryption(Rule);

    private static (RemediationConfiguration? Configuration, IReadOnlyList<ConfigRuleError> Errors) Parse(string json, string name = Rule) =>
        RemediationConfiguration.Parse(name, JsonSerializer.Deserialize<RemediationSpec>(json)!);

    private static string SeedWith(string field, string value)
    {
        var node = JsonNode.Parse(Seed)!.AsObject();
        node[field] = JsonNode.Parse(value);
        return node.ToJsonString();
    }

    [Fact]
    public void The_seeds_remediation_reads_into_its_typed_form()
    {
        var (configuration, errors) = Parse(Seed);

        Assert.Empty(errors);
        Assert.NotNull(configuration);
        Assert.Equal(RemediationTargetType.SsmDocument, configuration.TargetType);
        Assert.Equal(RemediationDocuments.EnableS3BucketEncryption, configuration.Document!.Name);
        Assert.True(configuration.Automatic);
        Assert.Equal(3, configuration.MaximumAutomaticAttempts);
        Assert.Equal(TimeSpan.FromSeconds(60), configuration.RetryInterval);
        var parameters = configuration.ResolveParameters("my-bucket");
        Assert.Equal(["my-bucket"], parameters["BucketName"]);
        Assert.Equal(["AES256"], parameters["SSEAlgorithm"]);
        Assert.False(parameters.ContainsKey("KMSMasterKeyID"));
    }

    [Fact]
    public void Defaults_fill_in_attempts_interval_manual_execution_and_the_algorithm()
    {
        var (configuration, errors) = Parse("""
            {"TargetType": "SSM_DOCUMENT", "TargetId": "AWS-EnableS3BucketEncryption", "Parameters": {"BucketName": {"ResourceValue": {"Value": "RESOURCE_ID"}}}}
            """);

        Assert.Empty(errors);
        Assert.Equal((5, TimeSpan.FromSeconds(60), false), (configuration!.MaximumAutomaticAttempts, configuration.RetryInterval, configuration.Automatic));
        Assert.Equal(["AES256"], configuration.ResolveParameters("b")["SSEAlgorithm"]);
    }

    [Fact]
    public void A_function_target_takes_any_parameters()
    {
        var (configuration, errors) = Parse("""
            {"TargetType": "FUNCTION", "TargetId": "arn:aws:lambda:us-east-1:123456789012:function:fix", "Parameters": {"Id": {"ResourceValue": {"Value": "RESOURCE_ID"}}, "Mode": {"StaticValue": {"Values": ["strict", "fast"]}}}}
            """);

        Assert.Empty(errors);
        Assert.Equal(RemediationTargetType.Function, configuration!.TargetType);
        Assert.Null(configuration.Document);
        Assert.Equal(["strict", "fast"], configuration.ResolveParameters("x")["Mode"]);
    }

    [Theory]
    [MemberData(nameof(SeedRemediations.Refusals), MemberType = typeof(SeedRemediations))]
    public void A_wrong_field_is_refused_naming_it(string field, string value, string errorField, string reason)
    {
        var (configuration, errors) = Parse(SeedWith(field, value));

        Assert.Null(configuration);
        var error = Assert.Single(errors);
        Assert.Equal(errorField, error.Field);
        Assert.Contains(reason, error.Reason);
    }
}
