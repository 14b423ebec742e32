using System.Collections.Immutable;

namespace Platform.Messaging;

/// <summary>
/// What a service does with one provisioned kind on every instance: a resource provisioned (created or changed), a
/// resource deleted, and the end of the catch-up at start. The kind's live events and its catch-up snapshot both arrive
/// here (wired by <see cref="LiveConfiguration.AddLiveConfiguration{TTarget,TSpec}"/> and
/// <see cref="LiveConfiguration.AddLiveConfigurationConsumer{TTarget,TSpec,TProvisioned,TDeleted}"/>), in either
/// order. A kind kept only in memory derives from <see cref="LiveKind{TSpec}"/>, which checks versions; a kind kept in a
/// database also checks the row's version there.
/// </summary>
/// <typeparam name="TSpec">The kind's <c>*Spec</c> record.</typeparam>
public interface ILiveConfiguration<in TSpec>
{
    Task ApplyAsync(string name, TSpec spec, long version, CancellationToken cancellationToken);

    Task RemoveAsync(string name, long version, CancellationToken cancellationToken);

    /// <summary>
    /// After the catch-up applied every current resource: <paramref name="current"/> names them, so a kind kept in a
    /// database can drop what was deleted while no instance ran.
    /// </summary>
    Task CaughtUpAsync(IReadOnlySet<string> current, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// A kind applied in memory on every instance: a change applies only when its version is newer than what this instance
/// has (the live events and the catch-up snapshot can arrive in either order). The one place that check is made.
/// </summary>
public abstract class LiveKind<TSpec>(string kind, ProvisionedResourceVersions versions) : ILiveConfiguration<TSpec>
{
    public Task ApplyAsync(string name, TSpec spec, long version, CancellationToken cancellationToken)
    {
        versions.TryApply(kind, name, version, () => Upsert(name, spec, version));
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string name, long version, CancellationToken cancellationToken)
    {
        versions.TryApply(kind, name, version, () => Remove(name, version));
        return Task.CompletedTask;
    }

    /// <summary>Applies a newer spec of <paramref name="name"/>.</summary>
    protected abstract void Upsert(string name, TSpec spec, long version);

    /// <summary>Applies a newer deletion of <paramref name="name"/>.</summary>
    protected abstract void Remove(string name, long version);
}

/// <summary>
/// The resources of one kind this instance holds, by name, each compiled from its spec into <typeparamref name="TValue"/>
/// (a spec that does not compile here is left out: <see cref="Compile"/> says why, loudly). Readers take an immutable
/// snapshot; writers swap a new one in, and derived views are rebuilt in <see cref="OnChanged"/> under the same lock.
/// </summary>
public abstract class LiveResources<TSpec, TValue>(string kind, ProvisionedResourceVersions versions) : LiveKind<TSpec>(kind, versions)
    where TValue : class
{
    private readonly Lock _gate = new();
    private ImmutableSortedDictionary<string, TValue> _current = ImmutableSortedDictionary.Create<string, TValue>(StringComparer.Ordinal);

    /// <summary>Every resource held, by name in ordinal order.</summary>
    public ImmutableSortedDictionary<string, TValue> Current => Volatile.Read(ref _current);

    /// <summary>The resource named <paramref name="name"/>; null when this instance holds none.</summary>
    public TValue? Find(string name) => Current.GetValueOrDefault(name);

    /// <summary>The resource <paramref name="spec"/> describes; null (having logged why) when this version cannot use it.</summary>
    protected abstract TValue? Compile(string name, TSpec spec, long version);

    /// <summary>Called under the writers' lock after every change, with the new snapshot.</summary>
    protected virtual void OnChanged(ImmutableSortedDictionary<string, TValue> current)
    {
    }

    protected override void Upsert(string name, TSpec spec, long version)
    {
        var value = Compile(name, spec, version);
        Swap(current => value is null ? current.Remove(name) : current.SetItem(name, value));
    }

    protected override void Remove(string name, long version) => Swap(current => current.Remove(name));

    private void Swap(Func<ImmutableSortedDictionary<string, TValue>, ImmutableSortedDictionary<string, TValue>> change)
    {
        lock (_gate)
        {
            var next = change(_current);
            Volatile.Write(ref _current, next);
            OnChanged(next);
        }
    }
}

/// <summary>The resources of one kind this instance holds, by name, as their specs (topics, functions).</summary>
public sealed class LiveResources<TSpec>(string kind, ProvisionedResourceVersions versions) : LiveResources<TSpec, TSpec>(kind, versions)
    where TSpec : class
{
    protected override TSpec Compile(string name, TSpec spec, long version) => spec;
}

/// <summary>
/// Applies one kind's live events to its <typeparamref name="TTarget"/>. Bound to a temporary queue per instance: every
/// instance holds the same configuration, so each hears every change.
/// </summary>
public sealed class LiveConfigurationConsumer<TTarget, TSpec, TProvisioned, TDeleted>(TTarget target) :
    LiveDeletionConsumer<TTarget, TSpec, TDeleted>(target), IConsumer<TProvisioned>
    where TTarget : ILiveConfiguration<TSpec>
    where TProvisioned : class, IResourceProvisioned<TSpec>
    where TDeleted : class, IResourceDeleted
{
    public Task Consume(ConsumeContext<TProvisioned> context) =>
        Target.ApplyAsync(context.Message.Name, context.Message.Spec, context.Message.Version, context.CancellationToken);
}

/// <summary>
/// The deletion half of <see cref="LiveConfigurationConsumer{TTarget,TSpec,TProvisioned,TDeleted}"/>: a base class, because
/// C# lets one type declare <c>IConsumer&lt;TProvisioned&gt;</c> and <c>IConsumer&lt;TDeleted&gt;</c> only when they cannot unify.
/// </summary>
public abstract class LiveDeletionConsumer<TTarget, TSpec, TDeleted>(TTarget target) : IConsumer<TDeleted>
    where TTarget : ILiveConfiguration<TSpec>
    where TDeleted : class, IResourceDeleted
{
    protected TTarget Target => target;

    public Task Consume(ConsumeContext<TDeleted> context) =>
        target.RemoveAsync(context.Message.Name, context.Message.Version, context.CancellationToken);
}
