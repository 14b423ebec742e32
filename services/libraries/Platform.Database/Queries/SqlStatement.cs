namespace Platform.Database.Queries;

/// <summary>
/// A query compiled from a user's query language (Logs Insights, the SQL subset) into Postgres SQL. The text is
/// built by the compiler alone, from fixed fragments and generated names; every value from the user is a positional
/// parameter (<c>$1</c>, <c>$2</c>, ...), so no text of the user's query ever reaches SQL text.
/// </summary>
/// <param name="Text">The SQL text, with <c>$n</c> placeholders only.</param>
/// <param name="Parameters">The values of <c>$1</c>..<c>$n</c>, in order.</param>
/// <param name="Columns">The result's column names as the user sees them, in order.</param>
public sealed record SqlStatement(string Text, IReadOnlyList<object?> Parameters, IReadOnlyList<string> Columns);
