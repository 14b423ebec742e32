using Platform.Compliance.Functions;

namespace Platform.Compliance.Tests;

/// <summary>
/// The function seam until the evaluation part's caller lands: records every call (function and payload) and fails
/// the calls <see cref="Fails"/> says, as a function answering an error would.
/// </summary>
public sealed class RecordingFunctionCaller : IFunctionCaller
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string Function, JsonElement Payload)> Calls { get; } = new();

    /// <summary>Whether call <c>n</c> (from 1) of a function fails; none fails by default.</summary>
    public Func<string, int, bool> Fails { get; set; } = (_, _) => false;

    /// <summary>What call <c>n</c> of a function waits for before it answers (nothing by default).</summary>
    public Func<string, int, Task> Hold { get; set; } = (_, _) => Task.CompletedTask;

    public int CountOf(string function) => _counts.GetValueOrDefault(function);

    public async Task<JsonElement?> InvokeAsync(string function, JsonElement payload, CancellationToken cancellationToken)
    {
        Calls.Enqueue((function, payload.Clone()));
        var n = _counts.AddOrUpdate(function, 1, (_, count) => count + 1);
        await Hold(function, n).WaitAsync(cancellationToken);
        return Fails(function, n)
            ? throw new FunctionCallException($"function {function} answered 500 on call {n}")
            : JsonDocument.Parse("""{"ok":true}""").RootElement;
    }
}
