using Platform.Contracts.Detection;

namespace Platform.Ingestion.RetroHunts;

/// <summary>
/// Streams a hunt's stored events to detection: counts the range (<see cref="RetroHuntEventsCounted"/>), then reads it
/// in batches and publishes each as a <see cref="RetroHuntBatch"/> while the next is read, then
/// <see cref="RetroHuntStreamEnded"/>. The range is read in one streamed scan (<see cref="RetroHuntEventReader.BatchesAsync"/>),
/// packed and published a few batches ahead. Batches are numbered in order, so a request redelivered after a crash streams the
/// same batches again and detection recognises those it has. Stops when the hunt is cancelled.
/// </summary>
public sealed partial class RetroHuntStreamer(
    RetroHuntEventReader reader,
    RetroHuntCancellations cancellations,
    IngestionOptions options,
    IngestionTelemetry telemetry,
    IHostApplicationLifetime lifetime,
    ILogger<RetroHuntStreamer> logger) : IConsumer<RetroHuntRequested>
{
    /// <summary>Batches published at once: each waits for the broker's confirm, so one at a time leaves the connection idle.</summary>
    private const int PublishesInFlight = 4;

    /// <summary>How often (in events) progress is logged.</summary>
    private const long ProgressEvery = 100_000;

    public async Task Consume(ConsumeContext<RetroHuntRequested> context)
    {
        var request = context.Message;
        if (cancellations.Start(request.HuntId, lifetime.ApplicationStopping) is not { } cancellation)
        {
            return;
        }

        using var activity = IngestionTelemetry.ActivitySource.StartActivity("retro-hunt stream");
        activity?.SetTag("platform.hunt_id", request.HuntId);
        var batchSize = Math.Clamp(request.BatchSize, 1, options.RetroHuntMaxBatchSize);
        try
        {
            var total = await reader.CountAsync(request.From, request.To, cancellation.Token);
            await context.Publish(new RetroHuntEventsCounted(request.HuntId, total), cancellation.Token);
            LogStarted(request.HuntId, total, request.From, request.To);

            var (batches, events) = await StreamAsync(context, request, batchSize, total, cancellation.Token);
            await context.Publish(new RetroHuntStreamEnded(request.HuntId, batches, events, null), CancellationToken.None);
            activity?.SetTag("platform.events", events);
            LogStreamed(request.HuntId, events, batches);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested)
        {
            LogCancelled(request.HuntId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, request.HuntId);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            await context.Publish(new RetroHuntStreamEnded(request.HuntId, 0, 0, ex.Message), CancellationToken.None);
        }
        finally
        {
            cancellations.Finish(request.HuntId, cancellation);
        }
    }

    private async Task<(long Batches, long Events)> StreamAsync(
        ConsumeContext context, RetroHuntRequested request, int batchSize, long total, CancellationToken cancellationToken)
    {
        // The reader stays a few pages ahead of the publishes.
        var pages = Channel.CreateBounded<RetroHuntBatch>(new BoundedChannelOptions(PublishesInFlight * 2) { SingleWriter = true });
        // Stops the reader when publishing fails (it may be waiting for room in the channel).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var read = Task.Run(async () =>
        {
            try
            {
                long sequence = 0;
                await foreach (var events in reader.BatchesAsync(request.From, request.To, batchSize, stop.Token))
                {
                    await pages.Writer.WriteAsync(RetroHuntBatch.Of(request.HuntId, sequence++, events), stop.Token);
                }
                pages.Writer.Complete();
            }
            catch (Exception ex)
            {
                pages.Writer.Complete(ex);
            }
        }, stop.Token);

        long batches = 0, streamed = 0;
        try
        {
            await Parallel.ForEachAsync(
                pages.Reader.ReadAllAsync(cancellationToken),
                new ParallelOptions { MaxDegreeOfParallelism = PublishesInFlight, CancellationToken = cancellationToken },
                async (batch, ct) =>
                {
                    await context.Publish(batch, c => c.MessageId = RetroHuntBatch.IdOf(batch.HuntId, batch.Sequence), ct);
                    telemetry.RetroHuntEventsStreamed.Add(batch.Count);
                    Interlocked.Increment(ref batches);
                    var before = Interlocked.Add(ref streamed, batch.Count) - batch.Count;
                    if ((before + batch.Count) / ProgressEvery > before / ProgressEvery)
                    {
                        LogProgress(request.HuntId, before + batch.Count, total);
                    }
                });
        }
        finally
        {
            await stop.CancelAsync();
            await read.ContinueWith(_ => { }, TaskScheduler.Default);
        }
        return (batches, streamed);
    }

    [LoggerMessage(LogLevel.Information, "Retro-hunt {HuntId}: streaming {Total} events from {From} to {To}")]
    private partial void LogStarted(Guid huntId, long total, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(LogLevel.Information, "Retro-hunt {HuntId}: {Streamed} of {Total} events streamed")]
    private partial void LogProgress(Guid huntId, long streamed, long total);

    [LoggerMessage(LogLevel.Information, "Retro-hunt {HuntId}: streamed {Events} events in {Batches} batches")]
    private partial void LogStreamed(Guid huntId, long events, long batches);

    [LoggerMessage(LogLevel.Information, "Retro-hunt {HuntId}: cancelled, streaming stopped")]
    private partial void LogCancelled(Guid huntId);

    [LoggerMessage(LogLevel.Error, "Retro-hunt {HuntId}: streaming failed")]
    private partial void LogFailed(Exception exception, Guid huntId);
}

/// <summary>Bounds how many hunts one instance streams at once (each holds its request until it is streamed).</summary>
public sealed class RetroHuntStreamerDefinition : ConsumerDefinition<RetroHuntStreamer>
{
    public RetroHuntStreamerDefinition(IngestionOptions options) => ConcurrentMessageLimit = options.RetroHuntsAtOnce;
}
