namespace Platform.Contracts.Provisioning;

/// <summary>
/// A resource of one kind provisioned (created or changed) at <see cref="Version"/>. Every kind's <c>*Provisioned</c>
/// event has this shape, so one generic consumer applies any kind live on the services that use it.
/// </summary>
/// <typeparam name="TSpec">The kind's <c>*Spec</c> record.</typeparam>
public interface IResourceProvisioned<out TSpec>
{
    string Name { get; }

    TSpec Spec { get; }

    long Version { get; }
}

/// <summary>A resource of one kind deleted at <see cref="Version"/>: every kind's <c>*Deleted</c> event has this shape.</summary>
public interface IResourceDeleted
{
    string Name { get; }

    long Version { get; }
}
