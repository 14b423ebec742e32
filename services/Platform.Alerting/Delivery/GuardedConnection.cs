using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MassTransit;
using Platform.Contracts.Provisioning;
using Platform.Http;
using Platform.Messaging;

namespace Platform.Alerting.Delivery;

/// <summary>A target refused by the SSRF guard: it resolves to an internal address.</summary>
public sealed class TargetRefusedException(string message) : Exception(message);

/// <summary>
/// The HTTP handler deliveries go through: it resolves the host itself and connects only when no address it resolves to
/// is internal (unless <see cref="DeliveryOptions.AllowPrivateTargets"/>), so a name that points inside is refused as a
/// literal address is, and the checked address is the one connected to (no second lookup to rebind). No proxy, no
/// redirects: what is checked is where the request goes.
/// </summary>
public static class GuardedConnection
{
    public static SocketsHttpHandler CreateHandler(DeliveryOptions options) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = options.AttemptTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, options.AllowPrivateTargets, cancellationToken),
    };

    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        if (!allowPrivate)
        {
            foreach (var address in addresses)
            {
                if (OutboundAddresses.InternalReason(address) is { } reason)
                {
                    throw new TargetRefusedException(
                        $"'{endpoint.Host}' resolves to {address}, which {reason}: delivery to internal addresses is not allowed ({DeliveryOptions.Section}:AllowPrivateTargets)");
                }
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
