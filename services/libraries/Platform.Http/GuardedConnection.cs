using System.Net;
using System.Net.Sockets;

namespace Platform.Http;

/// <summary>A target refused by the SSRF guard: it resolves to an internal address.</summary>
public sealed class TargetRefusedException(string message) : Exception(message);

/// <summary>
/// The HTTP handler calls to user-given addresses (webhooks, functions) go through: it resolves the host itself and
/// connects only when no address it resolves to is internal (<see cref="OutboundAddresses"/>) unless the deployment
/// allows it, so a name that points inside is refused as a literal address is, and the checked address is the one
/// connected to (no second lookup to rebind). No proxy, no redirects: what is checked is where the request goes.
/// </summary>
public static class GuardedConnection
{
    /// <param name="allowPrivateTargets">Whether internal addresses may be reached (local listeners).</param>
    /// <param name="connectTimeout">How long connecting may take.</param>
    /// <param name="allowSetting">The setting that allows internal addresses, named in the refusal.</param>
    public static SocketsHttpHandler CreateHandler(bool allowPrivateTargets, TimeSpan connectTimeout, string allowSetting) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = connectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivateTargets, allowSetting, cancellationToken),
    };

    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, string allowSetting, CancellationToken cancellationToken)
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
                        $"'{endpoint.Host}' resolves to {address}, which {reason}: calls to internal addresses are not allowed ({allowSetting})");
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

    /// <summary>The first <typeparamref name="T"/> in <paramref name="ex"/>'s chain of inner exceptions (itself included).</summary>
    public static T? Find<T>(Exception? ex) where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T found)
            {
                return found;
            }
        }
        return null;
    }
}
