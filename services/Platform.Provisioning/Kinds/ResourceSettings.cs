namespace Platform.Provisioning.Kinds;

/// <summary>The deployment's settings some kinds validate against (the same ones the service applying them reads).</summary>
/// <param name="AllowPrivateTargets">
/// Delivery targets may be loopback, link-local or private addresses (<see cref="OutboundAddresses.AllowPrivateTargetsSetting"/>;
/// <c>./platform run</c> sets it so local listeners work).
/// </param>
public sealed record ResourceSettings(bool AllowPrivateTargets)
{
    public static ResourceSettings From(IConfiguration configuration) =>
        new(configuration.GetValue<bool>(OutboundAddresses.AllowPrivateTargetsSetting));
}
