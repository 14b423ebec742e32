using static Platform.ConfigRules.Tests.Rules;

namespace Platform.ConfigRules.Tests;

/// <summary>EC2_INSTANCE_NO_PUBLIC_IP as AWS documents it: NON_COMPLIANT when a public IPv4 address is in the item.</summary>
public sealed class Judging_ec2_public_ips
{
    private static readonly IConfigRule Rule = AwsRule("EC2_INSTANCE_NO_PUBLIC_IP");

    [Fact]
    public void The_real_sample_instance_with_a_public_address_is_non_compliant()
    {
        var verdict = OnChange(Rule, ConfigurationItemSamples.Sample("AWS_EC2_Instance.json"));

        Assert.Equal(ComplianceTypes.NonCompliant, verdict.ComplianceType);
        Assert.Equal("i-03402838daac1d611", verdict.ResourceId);
        Assert.Contains("34.205.29.138", verdict.Annotation);
    }

    [Fact]
    public void The_instance_of_the_real_change_notification_is_non_compliant()
    {
        var invocation = JsonDocument.Parse(File.ReadAllText(SharedData.PathOf("data", "config-items", "awsConfigRuleConfigurationChanged.json"))).RootElement;
        var item = JsonDocument.Parse(invocation.GetProperty("invokingEvent").GetString()!).RootElement.GetProperty("configurationItem");

        Assert.Equal(ComplianceTypes.NonCompliant, OnChange(Rule, ConfigurationItemSamples.Read(item.GetRawText())).ComplianceType);
    }

    [Fact]
    public void An_instance_with_only_private_addresses_is_compliant()
    {
        var instance = Items.Of("AWS::EC2::Instance", "i-1", """
            {"instanceId": "i-1", "privateIpAddress": "10.0.0.5", "publicIpAddress": null, "publicDnsName": "",
             "networkInterfaces": [{"networkInterfaceId": "eni-1", "association": null,
               "privateIpAddresses": [{"privateIpAddress": "10.0.0.5", "association": null}]}]}
            """);

        Assert.Equal(ComplianceTypes.Compliant, OnChange(Rule, instance).ComplianceType);
    }

    [Fact]
    public void An_empty_public_address_is_no_address()
    {
        var instance = Items.Of("AWS::EC2::Instance", "i-1", """{"instanceId": "i-1", "publicIpAddress": ""}""");

        Assert.Equal(ComplianceTypes.Compliant, OnChange(Rule, instance).ComplianceType);
    }

    [Fact]
    public void An_elastic_ip_on_a_secondary_interface_is_a_public_ip_association()
    {
        var instance = Items.Of("AWS::EC2::Instance", "i-1", """
            {"instanceId": "i-1", "networkInterfaces": [
               {"networkInterfaceId": "eni-1", "association": null},
               {"networkInterfaceId": "eni-2", "privateIpAddresses": [{"privateIpAddress": "10.0.1.7", "association": {"publicIp": "52.1.2.3"}}]}]}
            """);

        var verdict = OnChange(Rule, instance);

        Assert.Equal(ComplianceTypes.NonCompliant, verdict.ComplianceType);
        Assert.Contains("eni-2", verdict.Annotation);
    }

    [Fact]
    public void A_terminated_and_deleted_instance_is_not_applicable() =>
        Assert.Equal(ComplianceTypes.NotApplicable, OnChange(Rule, Items.Deleted(ConfigurationItemSamples.Sample("AWS_EC2_Instance.json"))).ComplianceType);
}
