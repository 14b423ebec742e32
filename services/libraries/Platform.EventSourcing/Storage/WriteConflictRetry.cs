using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Platform.EventSourcing.Storage;

/// <summary>
/// The one retry policy of consumers that write state others write too: another writer appended to the same stream
/// first (<see cref="StreamConcurrencyException"/>, an EF concurrency token or unique key), a deadlock between two
/// instances, a connection dropped mid-write. The message is handled again in place, from the state as it now is;
/// consumers are idempotent, so handling again records nothing twice. Backs off from 10 ms to 5 s over 20 tries
/// (conflicts clear in milliseconds; what the database's absence causes, the bus's own retry also covers).
/// </summary>
public static class WriteConflictRetry
{
    public static void UseWriteConflictRetry(this IReceiveEndpointConfigurator endpoint) =>
        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<StreamConcurrencyException>();
            retry.Handle<DbUpdateException>();
            retry.Handle<NpgsqlException>();
            retry.Handle<InvalidOperationException>(ex => ex.InnerException is NpgsqlException);
            retry.Exponential(20, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(25));
        });
}
