using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Platform.ServiceDefaults;

/// <summary>
/// Ends each operation's OpenAPI description with the roles that may call it ("Roles: admin, analyst."), read from the
/// endpoint's own authorization policies, so that the text cannot drift from what is enforced and no API file writes it.
/// An operation open to anyone, or one whose policy names no role, says nothing.
/// </summary>
internal sealed class RolesOperationTransformer(IAuthorizationPolicyProvider policies) : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return;
        }
        var policy = await AuthorizationPolicy.CombineAsync(policies, metadata.OfType<IAuthorizeData>(), metadata.OfType<AuthorizationPolicy>());
        if (Roles(policy) is not { Count: > 0 } roles)
        {
            return;
        }
        var text = $"Roles: {string.Join(", ", roles)}.";
        operation.Description = string.IsNullOrEmpty(operation.Description) ? text : $"{operation.Description} {text}";
    }

    /// <summary>The roles every role requirement of the policy allows (all of them must hold), in the first one's order.</summary>
    private static List<string>? Roles(AuthorizationPolicy? policy)
    {
        var requirements = policy?.Requirements.OfType<RolesAuthorizationRequirement>().ToList();
        if (requirements is not { Count: > 0 })
        {
            return null;
        }
        return requirements[0].AllowedRoles.Where(role => requirements.All(r => r.AllowedRoles.Contains(role))).ToList();
    }
}
