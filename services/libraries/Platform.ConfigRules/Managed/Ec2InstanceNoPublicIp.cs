namespace Platform.ConfigRules.Managed;

/// <summary>
/// <c>EC2_INSTANCE_NO_PUBLIC_IP</c> (configuration changes, <c>AWS::EC2::Instance</c>, no parameters): NON_COMPLIANT when
/// a public IPv4 address is in the item: <c>configuration.publicIpAddress</c>, or the <c>association.publicIp</c> of one of
/// its network interfaces or their private addresses (an Elastic IP on a secondary interface); COMPLIANT otherwise.
/// </summary>
public sealed class Ec2InstanceNoPublicIp : ChangeTriggeredRule
{
    public override string Identifier => "EC2_INSTANCE_NO_PUBLIC_IP";

    public override IReadOnlyCollection<string> ResourceTypes { get; } = ["AWS::EC2::Instance"];

    protected override Judgement Judge(ConfigurationItem item, ManagedRuleArguments arguments)
    {
        if (Present(ItemJson.At(item.Configuration, "publicIpAddress")) is { } address)
        {
            return Judgement.NonCompliant($"the instance has the public IP address {address}");
        }
        foreach (var networkInterface in ItemJson.Each(ItemJson.At(item.Configuration, "networkInterfaces")))
        {
            var associations = ItemJson.Each(ItemJson.At(networkInterface, "privateIpAddresses"))
                .Select(p => ItemJson.At(p, "association"))
                .Prepend(ItemJson.At(networkInterface, "association"));
            if (associations.Select(a => Present(ItemJson.At(a, "publicIp"))).FirstOrDefault(ip => ip is not null) is { } publicIp)
            {
                var id = ItemJson.Text(ItemJson.At(networkInterface, "networkInterfaceId")) ?? "a network interface";
                return Judgement.NonCompliant($"{id} is associated with the public IP address {publicIp}");
            }
        }
        return Judgement.Compliant();
    }

    private static string? Present(JsonElement? value) => ItemJson.Text(value) is { Length: > 0 } text ? text : null;
}
