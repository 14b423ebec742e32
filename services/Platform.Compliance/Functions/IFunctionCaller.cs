namespace Platform.Compliance.Functions;

/// <summary>
/// Calls a function of the <c>functions</c> kind (named by Lambda ARN or name) with a JSON payload, as Lambda would be
/// invoked: <c>CUSTOM_LAMBDA</c> config rules and function remediation targets both go through it.
/// </summary>
public interface IFunctionCaller
{
    /// <summary>Invokes <paramref name="function"/> with <paramref name="payload"/> and returns what it answered.</summary>
    /// <exception cref="FunctionCallException">The function is unknown, unreachable, refused, or answered an error status.</exception>
    Task<JsonElement?> InvokeAsync(string function, JsonElement payload, CancellationToken cancellationToken);
}

/// <summary>A function call that did not succeed, and why (safe to show: no secrets).</summary>
public sealed class FunctionCallException(string message, Exception? inner = null) : Exception(message, inner);
