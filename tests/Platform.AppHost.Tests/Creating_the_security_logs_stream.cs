using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.AppHost.Kinesis;

namespace Platform.AppHost.Tests;

/// <summary>What the AppHost does to the emulator at start, against the real kinesalite of the test run.</summary>
public sealed class Creating_the_security_logs_stream
{
    [Fact]
    public async Task Creates_a_missing_stream_active_and_leaves_an_existing_one()
    {
        var name = "apphost-" + Guid.NewGuid().ToString("N")[..8];

        Assert.True(await KinesisStreams.EnsureStreamAsync(TestServers.Kinesis, name, 2, CancellationToken.None));
        Assert.False(await KinesisStreams.EnsureStreamAsync(TestServers.Kinesis, name, 2, CancellationToken.None));
    }

    [Fact]
    public async Task The_endpoint_is_healthy_when_it_answers_and_unhealthy_when_nothing_listens()
    {
        var answering = await new KinesisEndpointHealthCheck(TestServers.Kinesis).CheckHealthAsync(new HealthCheckContext());
        var silent = await new KinesisEndpointHealthCheck(new Uri("http://127.0.0.1:9")).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, answering.Status);
        Assert.Equal(HealthStatus.Unhealthy, silent.Status);
    }
}
