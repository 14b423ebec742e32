using System.Text.Json.Serialization;

namespace Platform.Provisioning.Kinds;

/// <summary>
/// One kind of provisioned resource: how its spec is read and validated, and the public events that
/// record its changes (<c>&lt;Kind&gt;Provisioned</c> / <c>&lt;Kind&gt;Deleted</c>, which are also its stream).
/// </summary>
public abstract partial class ResourceKind(string name)
{
    /// <summary>As it appears in routes and stacks (<c>sources</c>, <c>log-groups</c>, ...).</summary>
    public string Name { get; } = name;

    public abstract Type SpecType { get; }

    /// <summary>
    /// Resource names: 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit. No '/', so a
    /// name is one path segment (log groups, whose AWS names have '/', relax this: see <see cref="LogGroupKind"/>).
    /// </summary>
    public virtual string? ValidateName(string name) =>
        DefaultName().IsMatch(name) ? null : "must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit";

    /// <summary>Reads, validates and normalises a spec; null (with <paramref name="errors"/> saying why) when invalid.</summary>
    public abstract object? ReadSpec(JsonNode? node, string field, ValidationErrors errors);

    /// <summary>
    /// Reads a spec under the deployment's <paramref name="settings"/>: what the API and stacks call. Kinds whose validity
    /// depends on a setting (delivery targets on private addresses) override it.
    /// </summary>
    public virtual object? ReadSpec(JsonNode? node, string field, ValidationErrors errors, ResourceSettings settings) =>
        ReadSpec(node, field, errors);

    public abstract object Provisioned(string name, object spec, long version);

    public abstract object Deleted(string name, long version);

    /// <summary>The spec a stored event carries, when it is this kind's provisioned event.</summary>
    public abstract object? SpecOf(object @event);

    /// <summary>
    /// Checks a valid spec against its resource's name, which the spec may repeat (an alarm's <c>AlarmName</c>): each
    /// error under <paramref name="field"/>. Most kinds have nothing to check.
    /// </summary>
    public virtual void ValidateNamed(string name, object spec, string field, ValidationErrors errors)
    {
    }

    /// <summary>
    /// What the caller should know about a spec that is valid but will not work as they may expect (an alarm on a
    /// metric no filter publishes), read from the other current resources; answered with the write, never refused.
    /// </summary>
    public virtual Task<IReadOnlyList<string>> WarningsAsync(string name, object spec, ResourceStore store, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>
    /// Why the resource cannot be deleted as it stands (an event data store's termination protection), read from its
    /// stored spec; null when it can. Most kinds can always be deleted.
    /// </summary>
    public virtual string? DeletionRefusal(string name, string storedSpec) => null;

    /// <summary>What readers see of a valid spec (GET, list, history): its secrets masked. Most kinds hold none.</summary>
    public virtual object Shown(object spec) => spec;

    /// <summary>
    /// A written spec with each masked secret (as <see cref="Shown"/> gives it) replaced by the one it stands for in
    /// <paramref name="current"/>, so a resource read, edited and written back keeps its secrets; an error under
    /// <paramref name="field"/> where a masked value stands for nothing.
    /// </summary>
    public virtual object Restored(object written, object? current, string field, ValidationErrors errors) => written;

    public string SerializeSpec(object spec) => JsonSerializer.Serialize(spec, SpecType, PlatformJson.Options);

    /// <summary>
    /// The platform's JSON as requests are read, refusing fields the spec does not have: a misspelt field is an error,
    /// not a silent default.
    /// </summary>
    protected static readonly JsonSerializerOptions StrictJson = new(JsonBody.RequestOptions)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    protected static T? Deserialize<T>(JsonNode? node, string field, ValidationErrors errors) where T : class
    {
        if (node is null)
        {
            errors.Add(field.Length == 0 ? "body" : field, "is required");
            return null;
        }
        if (node is not JsonObject)
        {
            errors.Add(field.Length == 0 ? "body" : field, "must be a JSON object");
            return null;
        }
        try
        {
            return node.Deserialize<T>(StrictJson);
        }
        catch (JsonException ex)
        {
            var unmapped = UnmappedProperty().Match(ex.Message);
            if (unmapped.Success)
            {
                // The exception's path ("$.Source.Identifier") names a nested field where it is.
                var name = unmapped.Groups[1].Value;
                var path = ex.Path?.TrimStart('$').TrimStart('.');
                errors.Add(ValidationErrors.Field(field, path is not null && path.EndsWith(name, StringComparison.Ordinal) ? path : name), "is not a field of this kind");
            }
            else
            {
                var (wrong, reason) = JsonBody.Describe(ex, field);
                errors.Add(wrong, reason);
            }
            return null;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex DefaultName();

    [GeneratedRegex("JSON property '([^']+)' could not be mapped")]
    private static partial Regex UnmappedProperty();
}

/// <summary>
/// A kind whose spec is a JSON object of type <typeparamref name="TSpec"/>, recorded by the <c>*Provisioned</c> and
/// <c>*Deleted</c> events the two factories make: every kind's events have the shapes of
/// <see cref="IResourceProvisioned{TSpec}"/> and <see cref="IResourceDeleted"/>, so only their constructors differ.
/// </summary>
public abstract class ResourceKind<TSpec>(
    string name,
    Func<string, TSpec, long, IResourceProvisioned<TSpec>> provisioned,
    Func<string, long, IResourceDeleted> deleted) : ResourceKind(name) where TSpec : class
{
    public override Type SpecType => typeof(TSpec);

    public sealed override object Provisioned(string name, object spec, long version) => provisioned(name, (TSpec)spec, version);

    public sealed override object Deleted(string name, long version) => deleted(name, version);

    public sealed override object? SpecOf(object @event) => (@event as IResourceProvisioned<TSpec>)?.Spec;

    public override object? ReadSpec(JsonNode? node, string field, ValidationErrors errors)
    {
        if (Deserialize<TSpec>(node, field, errors) is not { } spec)
        {
            return null;
        }
        var before = errors.Count;
        var normalised = Validate(spec, field, errors);
        return errors.Count == before ? normalised : null;
    }

    /// <summary>Adds an error per wrong field; returns the normalised spec (ignored when errors were added).</summary>
    protected abstract TSpec Validate(TSpec spec, string field, ValidationErrors errors);
}
