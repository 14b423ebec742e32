namespace Platform.SqlQueries;

/// <summary>A node of a parsed query's tree; <see cref="Position"/> is its 1-based character position, for errors.</summary>
public abstract record SqlExpression(int Position);

/// <summary>A column, or a nested field by path (<c>userIdentity.sessionContext.sessionIssuer.arn</c>), as written.</summary>
public sealed record ColumnReference(IReadOnlyList<string> Path, int Position) : SqlExpression(Position);

public enum LiteralKind
{
    String,
    Integer,
    Decimal,
    Boolean,
    Null,
    Timestamp,
}

/// <summary>A literal: its text for strings and timestamps, a long, a decimal or a bool otherwise.</summary>
public sealed record LiteralExpression(LiteralKind Kind, object? Value, int Position) : SqlExpression(Position);

/// <summary><c>NOT x</c> or <c>-x</c>.</summary>
public sealed record UnaryExpression(string Operator, SqlExpression Operand, int Position) : SqlExpression(Position);

/// <summary><c>AND</c>, <c>OR</c>, a comparison (<c>= &lt;&gt; &lt; &lt;= &gt; &gt;=</c>) or arithmetic (<c>+ - * / %</c>).</summary>
public sealed record BinaryExpression(string Operator, SqlExpression Left, SqlExpression Right, int Position) : SqlExpression(Position);

public sealed record LikeExpression(SqlExpression Value, SqlExpression Pattern, SqlExpression? Escape, bool Negated, int Position) : SqlExpression(Position);

public sealed record InExpression(SqlExpression Value, IReadOnlyList<SqlExpression> Items, bool Negated, int Position) : SqlExpression(Position);

public sealed record BetweenExpression(SqlExpression Value, SqlExpression Low, SqlExpression High, bool Negated, int Position) : SqlExpression(Position);

public sealed record IsNullExpression(SqlExpression Value, bool Negated, int Position) : SqlExpression(Position);

/// <summary>A function call: an aggregate (<c>COUNT(*)</c>, <c>COUNT(DISTINCT x)</c>, <c>SUM(x)</c>, ...) or <c>element_at</c>.</summary>
public sealed record FunctionCall(string Name, IReadOnlyList<SqlExpression> Arguments, bool Distinct, bool Star, int Position) : SqlExpression(Position);

/// <summary>One item of the select list; a null <see cref="Expression"/> is <c>*</c>.</summary>
public sealed record SelectItem(SqlExpression? Expression, string? Alias, int Position);

public sealed record OrderItem(SqlExpression Expression, bool Descending, int Position);

/// <summary>The table as written: an event data store's name, id or ARN, or <c>vpc_flow_logs</c>; with its alias, if any.</summary>
public sealed record TableReference(string Name, string? Alias, int Position);

/// <summary>A parsed <c>SELECT</c> of the subset.</summary>
public sealed record SelectQuery(
    IReadOnlyList<SelectItem> Items,
    TableReference Table,
    SqlExpression? Where,
    IReadOnlyList<SqlExpression> GroupBy,
    SqlExpression? Having,
    IReadOnlyList<OrderItem> OrderBy,
    long? Limit);
