namespace Platform.EventSourcing.Tests;

public sealed class Recording_the_inbox() : StoreOnlyTests("inbox")
{
    private async Task<bool> TryRecordAsync(Guid messageId, string consumer, bool commit = true)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var first = await db.TryRecordInboxAsync(messageId, consumer, DateTimeOffset.UtcNow, default);
        if (commit)
        {
            await transaction.CommitAsync();
        }
        return first;
    }

    [Fact]
    public async Task A_message_id_is_new_once_per_consumer()
    {
        var id = Guid.NewGuid();

        Assert.True(await TryRecordAsync(id, "a"));
        Assert.False(await TryRecordAsync(id, "a"));
        Assert.True(await TryRecordAsync(id, "b"));
    }

    [Fact]
    public async Task A_record_whose_transaction_rolled_back_does_not_count()
    {
        var id = Guid.NewGuid();

        Assert.True(await TryRecordAsync(id, "a", commit: false));
        Assert.True(await TryRecordAsync(id, "a"));
    }
}
