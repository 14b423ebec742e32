using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Platform.Detection.Evaluation;

namespace Platform.Detection.Tests;

/// <summary>
/// A group commit that fails does not fail its batches with it: each is committed alone, so only a batch that cannot be
/// committed fails (and is retried or dead-lettered by its endpoint), and the others are committed and acknowledged.
/// Through the service's own transaction, inbox and rule counters on the real Postgres.
/// </summary>
[Collection(DetectionCollection.Name)]
public sealed class Failed_group_commits(DetectionHost detection)
{
    [Fact]
    public async Task A_failed_group_commits_each_batch_alone_and_fails_only_the_one_that_cannot_be_committed()
    {
        var services = detection.Host.Services;
        var committer = new Poisonable(services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<DetectionTelemetry>());

        // The first batch holds the committer while three more queue behind it, so they are committed as one group.
        var first = new Work(Guid.NewGuid(), Poisoned: false);
        var firstCommitted = committer.CommitAsync(first);
        await committer.Holding.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Work good = new(Guid.NewGuid(), false), poisoned = new(Guid.NewGuid(), true), alsoGood = new(Guid.NewGuid(), false);
        var queued = new[] { committer.CommitAsync(good), committer.CommitAsync(poisoned), committer.CommitAsync(alsoGood) };
        committer.Release.SetResult();

        await firstCommitted;
        await queued[0];
        await queued[2];
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => queued[1]);
        Assert.Contains(poisoned.MessageId.ToString(), failure.Message, StringComparison.Ordinal);

        // The first alone, the three as one group (which failed), then each of the three alone.
        Assert.Equal([[first], [good, poisoned, alsoGood], [good], [poisoned], [alsoGood]], committer.Groups);
        Assert.Equal(
            new[] { first, good, alsoGood }.Select(w => w.MessageId).Order(),
            await InboxAsync([first, good, poisoned, alsoGood]));
    }

    private async Task<List<Guid>> InboxAsync(IEnumerable<Work> work)
    {
        await using var connection = new NpgsqlConnection(detection.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT message_id FROM es_inbox WHERE consumer = $1 AND message_id = ANY($2) ORDER BY message_id", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = Poisonable.InboxName });
        command.Parameters.Add(new NpgsqlParameter { Value = work.Select(w => w.MessageId).ToArray() });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private sealed record Work(Guid MessageId, bool Poisoned) : ICommittedBatch
    {
        public DateTimeOffset IngestedAt { get; } = DateTimeOffset.UtcNow;
    }

    /// <summary>Commits no matches; a group holding a poisoned batch fails, and the first group waits for <see cref="Release"/>.</summary>
    private sealed class Poisonable(IServiceScopeFactory scopes, DetectionTelemetry telemetry)
        : GroupCommitter<Work>(scopes, telemetry, TimeProvider.System, NullLogger.Instance)
    {
        public const string InboxName = "test.failed-group-commits";

        public TaskCompletionSource Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<List<Work>> Groups { get; } = [];

        protected override string Inbox => InboxName;

        protected override string ActivityName => "test group commit";

        public Task CommitAsync(Work work) => EnqueueAsync(work, CancellationToken.None);

        protected override async Task<BatchMatches> MatchesOfAsync(IServiceProvider services, IReadOnlyList<Work> fresh)
        {
            Groups.Add([.. fresh]);
            if (Groups.Count == 1)
            {
                Holding.SetResult();
                await Release.Task;
            }

            if (fresh.FirstOrDefault(w => w.Poisoned) is { } poisoned)
            {
                throw new InvalidOperationException($"Batch {poisoned.MessageId} cannot be committed.");
            }

            return new BatchMatches(null);
        }
    }
}
