namespace Platform.Provisioning.Kinds;

/// <summary>
/// A kind that names URLs the alerting service will call (topics' webhooks, functions): each must be an absolute http or
/// https URL, and one whose host is a literal internal address (loopback, link-local, metadata, private) is refused here
/// unless the deployment allows private targets. Names that resolve to such addresses are refused when delivering.
/// </summary>
public abstract class DeliveryKind<TSpec>(
    string name,
    Func<string, TSpec, long, IResourceProvisioned<TSpec>> provisioned,
    Func<string, long, IResourceDeleted> deleted) : ResourceKind<TSpec>(name, provisioned, deleted) where TSpec : class
{
    /// <summary>The URLs <paramref name="spec"/> names, each with its field.</summary>
    protected abstract IEnumerable<(string Field, string Url)> Urls(TSpec spec, string field);

    public override object? ReadSpec(JsonNode? node, string field, ValidationErrors errors, ResourceSettings settings)
    {
        if (ReadSpec(node, field, errors) is not TSpec spec)
        {
            return null;
        }
        if (settings.AllowPrivateTargets)
        {
            return spec;
        }
        var before = errors.Count;
        foreach (var (urlField, url) in Urls(spec, field))
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && OutboundAddresses.LiteralHostReason(uri) is { } reason)
            {
                errors.Add(urlField, $"{reason}: delivery to internal addresses is not allowed here ({OutboundAddresses.AllowPrivateTargetsSetting})");
            }
        }
        return errors.Count == before ? spec : null;
    }

    /// <summary>Adds an error unless <paramref name="url"/> is an absolute URL of one of <paramref name="schemes"/>; returns it trimmed.</summary>
    protected static string ValidateUrl(string? url, string field, ValidationErrors errors, params string[] schemes)
    {
        var trimmed = url?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            errors.Add(field, $"is required: an absolute {string.Join(" or ", schemes)} URL");
        }
        else if (trimmed.Length > 2048)
        {
            errors.Add(field, "is longer than 2048 characters");
        }
        else if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || !schemes.Contains(uri.Scheme) || uri.Host.Length == 0)
        {
            errors.Add(field, $"must be an absolute {string.Join(" or ", schemes)} URL");
        }
        else if (uri.UserInfo.Length > 0)
        {
            errors.Add(field, "must not hold a user name or password: give a signing secret instead");
        }
        return trimmed;
    }

    /// <summary>What a secret reads as. Written back, it keeps the secret it stands for.</summary>
    public const string Mask = "********";

    /// <summary><paramref name="secret"/> as readers see it.</summary>
    protected static string? MaskSecret(string? secret) => secret is null ? null : Mask;

    /// <summary>
    /// The secret a written <paramref name="secret"/> stands for: itself, or the current one when it is the mask (an
    /// error when there is none to keep).
    /// </summary>
    protected static string? RestoreSecret(string? secret, string? current, string field, ValidationErrors errors)
    {
        if (secret != Mask)
        {
            return secret;
        }
        if (current is null)
        {
            errors.Add(ValidationErrors.Field(field, "signingSecret"), "is the mask shown on reading: give the secret itself");
        }
        return current;
    }

    /// <summary>Adds an error when a signing secret is given but too short or too long to be one.</summary>
    protected static string? ValidateSecret(string? secret, string field, ValidationErrors errors)
    {
        if (secret is null or Mask)
        {
            return secret;
        }
        if (secret.Length is < 16 or > 256)
        {
            // The secret itself is never echoed.
            errors.Add(ValidationErrors.Field(field, "signingSecret"), "must be 16 to 256 characters");
        }
        return secret;
    }
}
