namespace Platform.Testing;

/// <summary>The test broker. Tests isolate themselves with a unique entity prefix, not a server each.</summary>
public static class RabbitMqServer
{
    public static string ConnectionString => TestServers.RabbitMq;

    public static string NewEntityPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];
}
