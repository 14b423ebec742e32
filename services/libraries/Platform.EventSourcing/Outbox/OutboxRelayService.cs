namespace Platform.EventSourcing.Outbox;

internal sealed class OutboxRelayService(OutboxRelay relay) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => relay.RunAsync(stoppingToken);
}
