namespace Platform.Provisioning.Kinds;

/// <summary>
/// <c>functions</c>: what stands for a Lambda function (an endpoint invoked with the payload Lambda would receive), named
/// by Lambda ARNs in targets. The resource's name is the function's name.
/// </summary>
public sealed class FunctionKind() : DeliveryKind<FunctionSpec>(ProvisioningKinds.Functions, (n, s, v) => new FunctionProvisioned(n, s, v), (n, v) => new FunctionDeleted(n, v))
{
    public override object Shown(object spec) => (FunctionSpec)spec with { SigningSecret = MaskSecret(((FunctionSpec)spec).SigningSecret) };

    public override object Restored(object written, object? current, string field, ValidationErrors errors) =>
        (FunctionSpec)written with
        {
            SigningSecret = RestoreSecret(((FunctionSpec)written).SigningSecret, (current as FunctionSpec)?.SigningSecret, field, errors),
        };

    protected override IEnumerable<(string Field, string Url)> Urls(FunctionSpec spec, string field) =>
        [(ValidationErrors.Field(field, "endpoint"), spec.Endpoint)];

    protected override FunctionSpec Validate(FunctionSpec spec, string field, ValidationErrors errors) =>
        new(ValidateUrl(spec.Endpoint, ValidationErrors.Field(field, "endpoint"), errors, "https", "http"),
            ValidateSecret(spec.SigningSecret, field, errors));
}
