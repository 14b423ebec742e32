using System.Collections.Frozen;

namespace Platform.EventSourcing.Storage;

/// <summary>
/// Maps event types to the stable names stored with them, and says which are published to the bus.
/// Names are stored, so a type may be renamed in code but its registered name never changes.
/// </summary>
public sealed class EventTypeRegistry
{
    private readonly Dictionary<string, Registration> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, Registration> _byType = [];

    public sealed record Registration(string Name, Type Type, bool Publish);

    /// <param name="publish">True for contract types that other services consume; false for a service's private events.</param>
    /// <param name="name">The stored name; the type's name by default.</param>
    public EventTypeRegistry Register<T>(bool publish, string? name = null) where T : class
    {
        var registration = new Registration(name ?? typeof(T).Name, typeof(T), publish);
        _byName.Add(registration.Name, registration);
        _byType.Add(typeof(T), registration);
        return this;
    }

    public Registration For(Type type) =>
        _byType.TryGetValue(type, out var registration)
            ? registration
            : throw new InvalidOperationException($"Event type {type.FullName} is not registered with the event store.");

    public Registration For(string name) =>
        _byName.TryGetValue(name, out var registration)
            ? registration
            : throw new InvalidOperationException($"Stored event type '{name}' is not registered with the event store.");

    public IReadOnlyCollection<Registration> All => _byName.Values.ToFrozenSet();
}
