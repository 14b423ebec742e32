namespace Platform.EventSourcing.Tests;

public sealed class Appending_to_a_stream() : StoreOnlyTests("append")
{
    [Fact]
    public async Task Numbers_events_from_one_and_returns_the_new_version()
    {
        var version = await Host.WithStoreAsync(async store =>
        {
            var v = await store.AppendAsync("thing/a", ExpectedVersion.NoStream, [new ThingHappened("a", 1), new ThingRenamed("A")], null, default);
            await store.Context.SaveChangesAsync();
            return v;
        });

        Assert.Equal(2, version);
        var events = await Host.WithStoreAsync(store => store.ReadStreamAsync("thing/a", default));
        Assert.Equal([1L, 2L], events.Select(e => e.StreamVersion));
        Assert.Equal(new ThingHappened("a", 1), events[0].Data);
        Assert.Equal(new ThingRenamed("A"), events[1].Data);
    }

    [Fact]
    public async Task With_a_stale_expected_version_is_refused_with_a_typed_error()
    {
        await Host.AppendThingsAsync(["b"], perThing: 2);

        var error = await Assert.ThrowsAsync<StreamConcurrencyException>(() => Host.WithStoreAsync(async store =>
            await store.AppendAsync("thing/b", expectedVersion: 1, [new ThingHappened("b", 3)], null, default)));

        Assert.Equal("thing/b", error.StreamId);
        Assert.Equal(1, error.ExpectedVersion);
        Assert.Equal(2, error.ActualVersion);
    }

    [Fact]
    public async Task Two_concurrent_writers_expecting_the_same_version_one_wins_and_the_other_gets_the_typed_error()
    {
        await Host.AppendThingsAsync(["c"], perThing: 1);
        using var bothLoaded = new Barrier(2);

        async Task<bool> WriteAsync(string name)
        {
            try
            {
                await Host.WithStoreAsync(async store =>
                {
                    var state = await store.LoadAsync("thing/c", ThingState.Initial, ThingState.Apply, default);
                    await store.AppendAsync("thing/c", state.Version, [new ThingRenamed(name)], null, default);
                    // Both writers have checked the version before either saves: only the database can tell them apart.
                    await Task.Run(() => bothLoaded.SignalAndWait(TimeSpan.FromSeconds(10)));
                    return await store.Context.SaveChangesAsync();
                });
                return true;
            }
            catch (StreamConcurrencyException)
            {
                return false;
            }
        }

        var results = await Task.WhenAll(WriteAsync("first"), WriteAsync("second"));

        Assert.Equal(1, results.Count(won => won));
        var state = await Host.WithStoreAsync(store => store.LoadAsync("thing/c", ThingState.Initial, ThingState.Apply, default));
        Assert.Equal(2, state.Version);
    }

    [Fact]
    public async Task Loading_folds_the_stream_into_its_state_with_the_version_to_expect()
    {
        await Host.AppendThingsAsync(["d"], perThing: 3);
        await Host.WithStoreAsync(async store =>
        {
            await store.AppendAsync("thing/d", 3, [new ThingRenamed("Dee")], new EventMetadata(Actor: "alice"), default);
            return await store.Context.SaveChangesAsync();
        });

        var loaded = await Host.WithStoreAsync(store => store.LoadAsync("thing/d", ThingState.Initial, ThingState.Apply, default));
        var history = await Host.WithStoreAsync(store => store.ReadStreamAsync("thing/d", default));

        Assert.Equal(new ThingState("Dee", 3), loaded.State);
        Assert.Equal(4, loaded.Version);
        Assert.Equal("alice", history[^1].Metadata.Actor);
    }

    [Fact]
    public async Task A_stream_that_does_not_exist_loads_as_the_initial_state_at_version_zero()
    {
        var loaded = await Host.WithStoreAsync(store => store.LoadAsync("thing/none", ThingState.Initial, ThingState.Apply, default));

        Assert.False(loaded.Exists);
        Assert.Equal(ThingState.Initial, loaded.State);
    }

    [Fact]
    public async Task Reading_all_after_a_position_returns_later_events_of_every_stream_in_order()
    {
        await Host.AppendThingsAsync(["e"], perThing: 2);
        var first = await Host.WithStoreAsync(store => store.ReadAllAsync(0, 1000, default));
        var mark = first[^1].GlobalPosition;
        await Host.AppendThingsAsync(["f", "g"], perThing: 1);

        var after = await Host.WithStoreAsync(store => store.ReadAllAsync(mark, 1000, default));

        Assert.Equal(["thing/f", "thing/g"], after.Select(e => e.StreamId));
        Assert.True(after[0].GlobalPosition > mark && after[1].GlobalPosition > after[0].GlobalPosition);
    }
}
