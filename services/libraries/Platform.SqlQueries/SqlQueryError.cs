namespace Platform.SqlQueries;

/// <summary>Why a query was refused and where, so the analyst can find the mistake without guessing.</summary>
/// <param name="Position">The 1-based character position of the offending construct.</param>
/// <param name="Reason">What was wrong there, naming the construct (<c>JOIN is not supported</c>).</param>
public sealed record SqlQueryError(int Position, string Reason)
{
    public override string ToString() => $"at character {Position}: {Reason}";
}

/// <summary>Carries a <see cref="SqlQueryError"/> out of the recursive descent and the compiler; never leaves the library.</summary>
internal sealed class SqlQueryException(int position, string reason) : Exception(reason)
{
    public SqlQueryError Error { get; } = new(position, reason);
}
