namespace Platform.Provisioning.Resources;

/// <summary>A delete the resource's kind refuses as the resource stands (see <see cref="Kinds.ResourceKind.DeletionRefusal"/>).</summary>
public sealed class ResourceProtectedException(string reason) : Exception(reason);
