using Platform.Contracts.Detection;

namespace Platform.Ingestion.RetroHunts;

/// <summary>
/// Evaluates a hunt where its stored events are and streams detection what the hunt's rule may match: counts the range
/// (<see cref="RetroHuntEventsCounted"/>), scans it and publishes the events its <see cref="RetroHuntFilter"/> keeps as
/// <see cref="RetroHuntBatch"/>es that each say how many events they stand for, then <see cref="RetroHuntStreamEnded"/>.
/// The range is cut into <see cref="Slices"/> equal spans of event time, scanned <see cref="IngestionOptions.RetroHuntScanParallelism"/>
/// at a time (<see cref="RetroHuntEventReader.ScanAsync"/>). A batch is numbered by its slice and its place in the slice's scan,
/// so a request redelivered after a crash streams the same batches again and detection recognises those it has. Memory is
/// bounded: a page of rows and a batch per slice scanned. Stops when the hunt is cancelled, between two pages or batches
/// of a slice, and says so: <see cref="RetroHuntStreamEnded"/> with the batches and events streamed until then and
/// <see cref="Cancelled"/> as its failure (detection, which cancelled the hunt, takes no more of its batches).
/// </summary>
public sealed partial class RetroHuntStreamer(
    RetroHuntEventReader reader,
    RetroHuntCancellations cancellations,
    IngestionOptions options,
    IngestionTelemetry telemetry,
    IHostApplicationLifetime lifetime,
    ILogger<RetroHuntStreamer> logger) : IConsumer<RetroHuntRequested>
{
    /// <summary>
    /// The spans a range is cut into: a number of the range alone (not of the events in it), so a request streamed again
    /// cuts it the same way; enough that the scanners share an uneven range.
    /// </summary>
    public const int Slices = 64;

    /// <summary>Events a batch stands for at most: how often progress reaches detection while few events match.</summary>
    private const int ScanLimit = 50_000;

    /// <summary>The failure of a stream that stopped because its hunt was cancelled.</summary>
    public const string Cancelled = "cancelled";

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
        var progress = new StreamProgress();
        try
        {
            var filter = RetroHuntFilter.Of(request.Rule);
            var total = await reader.CountAsync(request.From, request.To, cancellation.Token);
            await context.Publish(new RetroHuntEventsCounted(request.HuntId, total), cancellation.Token);
            LogStarted(request.HuntId, total, request.From, request.To);

            await ScanAsync(context, request, filter, batchSize, total, progress, cancellation.Token);
            await context.Publish(new RetroHuntStreamEnded(request.HuntId, progress.Batches, progress.Scanned, null), CancellationToken.None);
            activity?.SetTag("platform.events", progress.Scanned);
            LogStreamed(request.HuntId, progress.Scanned, progress.Streamed, progress.Batches);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested)
        {
            LogCancelled(request.HuntId, progress.Scanned, progress.Batches);
            await context.Publish(new RetroHuntStreamEnded(request.HuntId, progress.Batches, progress.Scanned, Cancelled), CancellationToken.None);
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

    /// <summary>The i-th of the <see cref="Slices"/> equal spans of [from, to).</summary>
    public static (DateTimeOffset From, DateTimeOffset To) SliceOf(DateTimeOffset from, DateTimeOffset to, int slice)
    {
        DateTimeOffset At(int i) => i == Slices ? to : from.AddTicks((long)((Int128)(to - from).Ticks * i / Slices));
        return (At(slice), At(slice + 1));
    }

    /// <summary>The number of a slice's <paramref name="index"/>-th batch: slices apart, in scan order within one.</summary>
    public static long SequenceOf(int slice, long index) => ((long)slice << 32) + index;

    /// <summary>
    /// Scans the slices into <paramref name="progress"/>. A batch once started is published whatever happens meanwhile
    /// (a cancellation stops the scan between batches), so the progress counts exactly the batches that went out.
    /// </summary>
    private async Task ScanAsync(
        ConsumeContext context, RetroHuntRequested request, RetroHuntFilter filter, int batchSize, long total, StreamProgress progress,
        CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Slices),
            new ParallelOptions { MaxDegreeOfParallelism = options.RetroHuntScanParallelism, CancellationToken = cancellationToken },
            async (slice, ct) =>
            {
                var (from, to) = SliceOf(request.From, request.To, slice);
                long index = 0;
                await foreach (var chunk in reader.ScanAsync(from, to, filter, batchSize, ScanLimit, ct))
                {
                    var sequence = SequenceOf(slice, index++);
                    await context.Publish(
                        RetroHuntBatch.Of(request.HuntId, sequence, chunk.Kept, chunk.Scanned),
                        c => c.MessageId = RetroHuntBatch.IdOf(request.HuntId, sequence), CancellationToken.None);
                    telemetry.RetroHuntEventsStreamed.Add(chunk.Kept.Length);
                    var before = progress.Add(chunk);
                    if ((before + chunk.Scanned) / ProgressEvery > before / ProgressEvery)
                    {
                        LogProgress(request.HuntId, before + chunk.Scanned, total);
                    }
                }
            });
    }

    /// <summary>What a stream has published so far (its scanners add to it at once).</summary>
    private sealed class StreamProgress
    {
        private long _batches, _scanned, _streamed;

        public long Batches => Interlocked.Read(ref _batches);

        public long Scanned => Interlocked.Read(ref _scanned);

        public long Streamed => Interlocked.Read(ref _streamed);

        /// <summary>Counts a published batch; returns the events scanned before it.</summary>
        public long Add(RetroHuntChunk chunk)
        {
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _streamed, chunk.Kept.Length);
            return Interlocked.Add(ref _scanned, chunk.Scanned) - chunk.Scanned;
        }
    }

    [LoggerMessage(LogLevel.Information, "Retro-hunt {HuntId}: streaming {Total} events from {From} to {To}")]
    private partial void LogStarted(Guid huntId, long total, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(LogLevel.Information, "Retro-hunt {HuntId}: {Scanned} of {Total} events scanned")]
    private partial void LogProgress(Guid huntId, long scanned, long total);

    [LoggerMessage(LogLevel.Information, "Retro-hunt {HuntId}: scanned {Scanned} events, streamed the {Streamed} the rule may match in {Batches} batches")]
    private partial void LogStreamed(Guid huntId, long scanned, long streamed, long batches);

    [LoggerMessage(LogLevel.Information, "Retro-hunt {HuntId}: cancelled, streaming stopped after {Scanned} events in {Batches} batches")]
    private partial void LogCancelled(Guid huntId, long scanned, long batches);

    [LoggerMessage(LogLevel.Error, "Retro-hunt {HuntId}: streaming failed")]
    private partial void LogFailed(Exception exception, Guid huntId);
}

/// <summary>Bounds how many hunts one instance streams at once (each holds its request until it is streamed).</summary>
public sealed class RetroHuntStreamerDefinition : ConsumerDefinition<RetroHuntStreamer>
{
    public RetroHuntStreamerDefinition(IngestionOptions options) => ConcurrentMessageLimit = options.RetroHuntsAtOnce;
}
