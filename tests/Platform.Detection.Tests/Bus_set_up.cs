using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Platform.Detection.Tests;

/// <summary>What every service's bus is set up with (Platform.Messaging), seen through detection's.</summary>
public sealed class Bus_set_up
{
    [Fact]
    public async Task The_bus_reports_nothing_about_the_deployment_to_MassTransits_makers()
    {
        await using var postgres = new PostgresServer();
        await using var host = DetectionHost.Start(postgres.NewDatabaseConnectionString("bus"), RabbitMqServer.NewEntityPrefix());

        Assert.False(host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }
}
