using System.Net.Sockets;

namespace Platform.AppHost.Infrastructure;

/// <summary>Healthy once something accepts connections on the port (RabbitMQ opens its listener last in its boot).</summary>
public sealed class TcpPortHealthCheck(string host, int port) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (SocketException ex)
        {
            return HealthCheckResult.Unhealthy($"{host}:{port} does not accept connections yet.", ex);
        }
    }
}
