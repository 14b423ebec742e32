using System.Net;
using System.Net.Sockets;

namespace Platform.Http;

/// <summary>
/// The SSRF guard for calls the platform makes to addresses users give it (webhooks, functions): loopback,
/// link-local, cloud metadata, private, unique-local, multicast and unspecified addresses are internal, reachable only
/// when the deployment allows it. Checked at the door on a literal address and again after DNS resolution at send time.
/// </summary>
public static class OutboundAddresses
{
    /// <summary>
    /// The setting that lets delivery reach internal addresses (local listeners): read where targets are provisioned and
    /// where they are delivered to.
    /// </summary>
    public const string AllowPrivateTargetsSetting = "Platform:Alerting:Delivery:AllowPrivateTargets";

    /// <summary>EC2's instance metadata service over IPv6.</summary>
    public static readonly IPAddress Ec2MetadataV6 = IPAddress.Parse("fd00:ec2::254");

    /// <summary>Why <paramref name="address"/> is internal, or null when it is a public address.</summary>
    public static string? InternalReason(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address))
        {
            return "is a loopback address";
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b switch
            {
                [169, 254, 169, 254] => "is the cloud metadata address",
                [169, 254, ..] => "is a link-local address",
                [10, ..] or [172, >= 16 and <= 31, ..] or [192, 168, ..] => "is a private address",
                [100, >= 64 and <= 127, ..] => "is a carrier-grade NAT address",
                [0, ..] => "is an unspecified address",
                [>= 224, ..] => "is a multicast or reserved address",
                _ => null,
            };
        }
        if (address.Equals(Ec2MetadataV6))
        {
            return "is the cloud metadata address";
        }
        if (address.Equals(IPAddress.IPv6Any))
        {
            return "is an unspecified address";
        }
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
        {
            return "is a link-local address";
        }
        if (address.IsIPv6UniqueLocal)
        {
            return "is a private address";
        }
        return address.IsIPv6Multicast ? "is a multicast or reserved address" : null;
    }

    /// <summary>
    /// Why the host of <paramref name="url"/> is refused when it is a literal internal address (or <c>localhost</c>),
    /// or null; names that resolve to internal addresses are caught at send time.
    /// </summary>
    public static string? LiteralHostReason(Uri url)
    {
        if (url.IsLoopback)
        {
            return $"'{url.Host}' is a loopback address";
        }
        return IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var address) && InternalReason(address) is { } reason
            ? $"'{url.Host}' {reason}"
            : null;
    }
}
