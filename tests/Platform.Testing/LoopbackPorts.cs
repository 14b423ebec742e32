using System.Net;
using System.Net.Sockets;

namespace Platform.Testing;

/// <summary>Ports for servers a test starts itself (the AppHost's local servers, a service on a real port).</summary>
public static class LoopbackPorts
{
    /// <summary>A loopback port free a moment ago: the system's pick for a listener opened and closed at once.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
