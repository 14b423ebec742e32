namespace Platform.LogsInsights;

/// <summary>An expression of the query, with the offset it starts at (errors found while compiling point there).</summary>
public abstract record Expr(int Offset)
{
    /// <summary>The expression as the query language writes it: the name of the result column it produces.</summary>
    public abstract string Render();
}

/// <summary>A field: a system field (<c>@timestamp</c>), a field defined earlier in the query, or a path into the JSON document.</summary>
public sealed record FieldExpr(string Name, int Offset) : Expr(Offset)
{
    public IReadOnlyList<string> Path => Name.Split('.');

    public override string Render() => Name;
}

public sealed record StringExpr(string Value, int Offset) : Expr(Offset)
{
    public override string Render() => "\"" + Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

public sealed record NumberExpr(decimal Value, int Offset) : Expr(Offset)
{
    public override string Render() => Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A time span such as <c>5m</c>, in seconds.</summary>
public sealed record DurationExpr(long Seconds, string Text, int Offset) : Expr(Offset)
{
    public override string Render() => Text;
}

public sealed record RegexExpr(string Pattern, int Offset) : Expr(Offset)
{
    public override string Render() => "/" + Pattern + "/";
}

/// <summary>The <c>*</c> of <c>count(*)</c>.</summary>
public sealed record StarExpr(int Offset) : Expr(Offset)
{
    public override string Render() => "*";
}

/// <summary>A function call; <see cref="Name"/> is lower case.</summary>
public sealed record CallExpr(string Name, string WrittenName, IReadOnlyList<Expr> Arguments, int Offset) : Expr(Offset)
{
    public override string Render() => WrittenName + "(" + string.Join(", ", Arguments.Select(a => a.Render())) + ")";
}

/// <summary>Arithmetic, comparison, <c>and</c>, <c>or</c>, <c>like</c>, <c>=~</c>.</summary>
public sealed record BinaryExpr(string Operator, Expr Left, Expr Right, int Offset) : Expr(Offset)
{
    public override string Render() => $"{Left.Render()} {Operator} {Right.Render()}";
}

public sealed record UnaryExpr(string Operator, Expr Operand, int Offset) : Expr(Offset)
{
    public override string Render() => Operator == "-" ? "-" + Operand.Render() : $"{Operator} {Operand.Render()}";
}

public sealed record InExpr(Expr Subject, IReadOnlyList<Expr> Values, bool Negated, int Offset) : Expr(Offset)
{
    public override string Render() => $"{Subject.Render()} {(Negated ? "not in" : "in")} [{string.Join(", ", Values.Select(v => v.Render()))}]";
}

/// <summary>An expression with an optional <c>as</c> alias; <see cref="Name"/> is the result column's name.</summary>
public sealed record Projection(Expr Expression, string? Alias)
{
    public string Name => Alias ?? Expression.Render();
}

public sealed record SortKey(Expr Expression, bool Descending);

public abstract record Command(int Offset);

public sealed record FieldsCommand(IReadOnlyList<Projection> Items, int Offset) : Command(Offset);

public sealed record DisplayCommand(IReadOnlyList<FieldExpr> Fields, int Offset) : Command(Offset);

public sealed record FilterCommand(Expr Condition, int Offset) : Command(Offset);

public sealed record StatsCommand(IReadOnlyList<Projection> Aggregates, IReadOnlyList<Projection> By, int Offset) : Command(Offset);

public sealed record SortCommand(IReadOnlyList<SortKey> Keys, int Offset) : Command(Offset);

public sealed record LimitCommand(int Count, int Offset) : Command(Offset);

/// <summary><c>parse</c>: <see cref="Pattern"/> is a Postgres regular expression whose groups 1..n are <see cref="Names"/>.</summary>
public sealed record ParseCommand(Expr Source, string Pattern, IReadOnlyList<string> Names, int Offset) : Command(Offset);

public sealed record DedupCommand(IReadOnlyList<FieldExpr> Fields, int Offset) : Command(Offset);

/// <summary>The log groups a <c>SOURCE</c> prefix names: exact names and name prefixes.</summary>
public sealed record SourceClause(IReadOnlyList<string> Names, IReadOnlyList<string> Prefixes);

/// <summary>A parsed query: its optional <c>SOURCE</c> and its commands in order.</summary>
public sealed record InsightsQuery(SourceClause? Source, IReadOnlyList<Command> Commands, string Text);
