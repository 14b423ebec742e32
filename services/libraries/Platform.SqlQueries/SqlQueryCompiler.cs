using System.Globalization;

namespace Platform.SqlQueries;

/// <summary>
/// Compiles a parsed query to a <see cref="SqlStatement"/> over ingestion's raw log store (<c>log_events</c>). The text
/// is made of fixed fragments, the column table's SQL and generated names (<c>c1</c>, <c>e</c>); every literal is a
/// parameter. Types are checked here (a comparison of a number with a string is refused, as Trino refuses it; a string
/// compared with <c>eventTime</c> is read as a timestamp, as Lake reads it), and so is grouping, so a query Postgres
/// would refuse answers 400 with the position instead of failing when it runs.
/// </summary>
public sealed class SqlQueryCompiler
{
    private static readonly HashSet<string> Aggregates = new(StringComparer.OrdinalIgnoreCase) { "count", "sum", "avg", "min", "max" };

    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    private readonly SqlParameters _parameters = new();
    private readonly SqlDialect _dialect;
    private readonly SqlTable _table;
    private readonly string? _tableAlias;
    private readonly List<(string Name, SqlExpression Expression)> _aliases = [];
    private HashSet<string>? _grouped;

    private SqlQueryCompiler(SqlDialect dialect, SqlTable table, string? tableAlias)
    {
        _dialect = dialect;
        _table = table;
        _tableAlias = tableAlias;
    }

    private readonly record struct Compiled(string Sql, SqlType Type, bool HasAggregate);

    /// <summary>
    /// Parses and compiles a statement; a refusal as <paramref name="error"/>. <paramref name="stores"/> are the event data
    /// stores a query may name; a store's retention counts back from <paramref name="now"/>.
    /// </summary>
    public static CompiledSqlQuery? TryCompile(string statement, IReadOnlyCollection<EventDataStore> stores, DateTimeOffset now, out SqlQueryError? error) =>
        TryCompile(statement, stores, now, SqlDialect.Postgres, out error);

    /// <summary>As <see cref="TryCompile(string, IReadOnlyCollection{EventDataStore}, DateTimeOffset, out SqlQueryError?)"/>, in <paramref name="dialect"/>.</summary>
    public static CompiledSqlQuery? TryCompile(
        string statement, IReadOnlyCollection<EventDataStore> stores, DateTimeOffset now, SqlDialect dialect, out SqlQueryError? error)
    {
        if (SqlParser.TryParse(statement, out error) is not { } query)
        {
            return null;
        }
        try
        {
            return Compile(query, stores, now, dialect);
        }
        catch (SqlQueryException ex)
        {
            error = ex.Error;
            return null;
        }
    }

    /// <summary>
    /// Checks a statement as <see cref="TryCompile(string, IReadOnlyCollection{EventDataStore}, DateTimeOffset, out SqlQueryError?)"/> would compile it, the event data store its <c>FROM</c> names taken
    /// as existing (with the defaults), so a query saved before its store is provisioned is judged on its own text.
    /// </summary>
    public static SqlQueryError? Check(string statement, DateTimeOffset now)
    {
        if (SqlParser.TryParse(statement, out var error) is not { } query)
        {
            return error;
        }
        var assumed = new EventDataStore(query.Table.Name, EventDataStores.Normalize(new EventDataStoreSpec(), (_, _) => { }));
        TryCompile(statement, [assumed], now, out error);
        return error;
    }

    /// <summary>The event data store a <c>FROM</c> names: by name, id or ARN (<c>arn:aws:cloudtrail:...:eventdatastore/&lt;id&gt;</c>).</summary>
    public static EventDataStore? FindStore(string written, IReadOnlyCollection<EventDataStore> stores)
    {
        var slash = written.IndexOf(":eventdatastore/", StringComparison.Ordinal);
        var key = written.StartsWith("arn:", StringComparison.Ordinal) && slash > 0 ? written[(slash + ":eventdatastore/".Length)..] : written;
        return stores.FirstOrDefault(s => s.Name == key) ?? stores.FirstOrDefault(s => string.Equals(s.Id, key, StringComparison.OrdinalIgnoreCase));
    }

    private static CompiledSqlQuery Compile(SelectQuery query, IReadOnlyCollection<EventDataStore> stores, DateTimeOffset now, SqlDialect dialect)
    {
        EventDataStore? store = null;
        SqlTable table;
        if (string.Equals(query.Table.Name, SqlTable.VpcFlowLogsName, StringComparison.OrdinalIgnoreCase))
        {
            table = dialect.VpcFlowLogs;
        }
        else
        {
            store = FindStore(query.Table.Name, stores)
                    ?? throw new SqlQueryException(query.Table.Position, $"no event data store or table is named '{Shorten(query.Table.Name)}' (the tables are the event data stores and {SqlTable.VpcFlowLogsName})");
            table = dialect.CloudTrail;
        }
        return new SqlQueryCompiler(dialect, table, query.Table.Alias).Compile(query, store, now);
    }

    private CompiledSqlQuery Compile(SelectQuery query, EventDataStore? store, DateTimeOffset now)
    {
        // What the query reads, counted before it runs (records and stored bytes): the table's events in the store's retention.
        var since = store is null ? (DateTimeOffset?)null : now.ToUniversalTime().AddDays(-store.Spec.RetentionPeriod!.Value);
        var scopeParameters = new SqlParameters();
        var scope = _dialect.Scope(_table.SourceType, since, scopeParameters);

        // The source: the table's events, the record parsed once per row.
        var source = _dialect.Source(_table.SourceType, since, _parameters);
        List<string> conditions = [];
        if (store is not null)
        {
            conditions.Add(EventDataStores.Condition(store.Spec.AdvancedEventSelectors ?? EventDataStores.ManagementEvents, _dialect, _parameters));
        }

        // The select list, * expanded; aliases first, so GROUP BY, HAVING and ORDER BY can name them.
        List<(SqlExpression? Expression, SqlColumn? Column, string Name, int Position)> items = [];
        for (var i = 0; i < query.Items.Count; i++)
        {
            var item = query.Items[i];
            if (item.Expression is null)
            {
                items.AddRange(_table.Star.Select(c => ((SqlExpression?)null, (SqlColumn?)c, c.Name, item.Position)));
                continue;
            }
            var name = item.Alias ?? (item.Expression is ColumnReference column ? (Resolve(column).Name.Split('.')[^1]) : $"_col{items.Count}");
            items.Add((item.Expression, null, name, item.Position));
            if (item.Alias is not null)
            {
                _aliases.Add((item.Alias, item.Expression));
            }
        }

        if (query.Where is { } where)
        {
            conditions.Add(Condition(where, "WHERE", allowAggregates: false));
        }

        List<string> groupBy = [];
        foreach (var group in query.GroupBy)
        {
            var expression = group switch
            {
                LiteralExpression { Kind: LiteralKind.Integer, Value: long position } => SelectExpressionAt(position, group.Position, items.Select(i => i.Expression).ToList(), "GROUP BY"),
                _ => WithAliases(group),
            };
            var compiled = CompileExpression(expression, null, allowAggregates: false, "GROUP BY");
            groupBy.Add(compiled.Sql);
        }

        var compiledItems = items.Select(item => item.Column is { } column
            ? new Compiled(column.Sql, column.Type, false)
            : CompileExpression(item.Expression!, null, allowAggregates: true, "the select list")).ToList();
        var having = query.Having is { } h ? Condition(WithAliases(h), "HAVING", allowAggregates: true) : null;
        var grouped = groupBy.Count > 0 || having is not null || compiledItems.Any(c => c.HasAggregate);

        List<string> orderBy = [];
        List<SqlExpression> orderExpressions = [];
        foreach (var order in query.OrderBy)
        {
            string ordered;
            if (order.Expression is LiteralExpression { Kind: LiteralKind.Integer, Value: long position })
            {
                if (position < 1 || position > items.Count)
                {
                    throw new SqlQueryException(order.Position, $"ORDER BY position {position} is not in the select list (1 to {items.Count})");
                }
                ordered = "c" + position;
            }
            else if (order.Expression is ColumnReference { Path.Count: 1 } named && items.FindIndex(i => string.Equals(i.Name, named.Path[0], StringComparison.OrdinalIgnoreCase)) is var index and >= 0)
            {
                ordered = "c" + (index + 1);
            }
            else
            {
                var compiled = CompileExpression(order.Expression, null, allowAggregates: true, "ORDER BY");
                grouped |= compiled.HasAggregate;
                orderExpressions.Add(order.Expression);
                ordered = compiled.Sql;
            }
            orderBy.Add(ordered + (order.Descending ? " DESC" : " ASC"));
        }

        if (grouped)
        {
            _grouped = groupBy.ToHashSet(StringComparer.Ordinal);
            foreach (var item in items)
            {
                if (item.Expression is null)
                {
                    throw new SqlQueryException(item.Position, "* cannot be selected with GROUP BY or aggregates");
                }
                CheckGrouped(item.Expression);
            }
            if (query.Having is { } having2)
            {
                CheckGrouped(WithAliases(having2));
            }
            orderExpressions.ForEach(CheckGrouped);
        }

        var sql = new StringBuilder("SELECT ");
        for (var i = 0; i < compiledItems.Count; i++)
        {
            var value = compiledItems[i].Type == SqlType.Json ? _dialect.JsonAsText(compiledItems[i].Sql) : compiledItems[i].Sql;
            sql.Append(i == 0 ? "" : ", ").Append(value).Append(" AS c").Append(i + 1);
        }
        sql.Append(" FROM (").Append(source).Append(") AS e");
        if (conditions.Count > 0)
        {
            sql.Append(" WHERE ").Append(string.Join(" AND ", conditions));
        }
        if (groupBy.Count > 0)
        {
            sql.Append(" GROUP BY ").Append(string.Join(", ", groupBy));
        }
        if (having is not null)
        {
            sql.Append(" HAVING ").Append(having);
        }
        if (orderBy.Count > 0)
        {
            sql.Append(" ORDER BY ").Append(string.Join(", ", orderBy));
        }
        if (query.Limit is { } limit)
        {
            sql.Append(" LIMIT ").Append(_parameters.Add(limit));
        }
        return new CompiledSqlQuery(
            new SqlStatement(sql.ToString(), _parameters.Values, items.Select(i => i.Name).ToList()),
            new SqlStatement(scope, scopeParameters.Values, ["records", "bytes"]),
            ArchivePartitionsOf(query.Where, since));
    }

    /// <summary>The partitions the WHERE's top-level AND terms allow: comparisons of a partition column with a literal.</summary>
    private ArchiveRange ArchivePartitionsOf(SqlExpression? where, DateTimeOffset? since)
    {
        var range = new ArchiveRange(_table.SourceType, since, null, null, null);
        foreach (var term in Conjuncts(where))
        {
            switch (term)
            {
                case BinaryExpression { Operator: "=" or "<" or "<=" or ">" or ">=" } comparison:
                    if (comparison.Left is LiteralExpression first)
                    {
                        var flipped = comparison.Operator switch { "<" => ">", "<=" => ">=", ">" => "<", ">=" => "<=", _ => "=" };
                        range = Narrow(range, comparison.Right, flipped, first);
                    }
                    else if (comparison.Right is LiteralExpression second)
                    {
                        range = Narrow(range, comparison.Left, comparison.Operator, second);
                    }
                    break;
                case BetweenExpression { Negated: false, Low: LiteralExpression low, High: LiteralExpression high } between:
                    range = Narrow(Narrow(range, between.Value, ">=", low), between.Value, "<=", high);
                    break;
            }
        }
        return range;

        static IEnumerable<SqlExpression> Conjuncts(SqlExpression? expression) => expression switch
        {
            null => [],
            BinaryExpression { Operator: "AND" } and => Conjuncts(and.Left).Concat(Conjuncts(and.Right)),
            _ => [expression],
        };
    }

    private ArchiveRange Narrow(ArchiveRange range, SqlExpression column, string op, LiteralExpression literal)
    {
        if (column is not ColumnReference reference || literal.Kind is LiteralKind.Null)
        {
            return range;
        }
        var name = Resolve(reference).Name;
        var partitions = _table.Partitions;
        if (Is(partitions.Time) && literal.Kind is LiteralKind.String or LiteralKind.Timestamp)
        {
            var time = ParseTimestamp(literal);
            return Bounded(range, op, time, time.AddTicks(1));
        }
        if (Is(partitions.Day) && literal is { Kind: LiteralKind.String, Value: string text }
            && DateTimeOffset.TryParseExact(text, "yyyy/MM/dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var day))
        {
            return Bounded(range, op, day, day.AddDays(1));
        }
        if (op == "=" && literal is { Kind: LiteralKind.String, Value: string value })
        {
            return Is(partitions.Account) ? range with { Account = value } : Is(partitions.Region) ? range with { Region = value } : range;
        }
        return range;

        bool Is(string? partition) => string.Equals(name, partition, StringComparison.OrdinalIgnoreCase);

        // The values of the column from start (inclusive) to end (exclusive) are those equal to start.
        static ArchiveRange Bounded(ArchiveRange range, string op, DateTimeOffset start, DateTimeOffset end)
        {
            var (from, to) = op switch
            {
                "=" => ((DateTimeOffset?)start, (DateTimeOffset?)end),
                ">" or ">=" => (start, null),
                "<" => (null, start),
                _ => (null, end),
            };
            return range with
            {
                From = from > range.From || range.From is null ? from : range.From,
                To = to < range.To || range.To is null ? to : range.To,
            };
        }
    }

    private static SqlExpression SelectExpressionAt(long position, int at, IReadOnlyList<SqlExpression?> items, string clause)
    {
        if (position < 1 || position > items.Count)
        {
            throw new SqlQueryException(at, $"{clause} position {position} is not in the select list (1 to {items.Count})");
        }
        return items[(int)position - 1] ?? throw new SqlQueryException(at, $"{clause} position {position} is a column of *: name it instead");
    }

    /// <summary>A bare name that is no column but a select-list alias stands for the aliased expression (GROUP BY, HAVING).</summary>
    private SqlExpression WithAliases(SqlExpression expression) => expression switch
    {
        ColumnReference { Path.Count: 1 } c when _table.Find(c.Path[0]) is null
            && _aliases.FirstOrDefault(a => string.Equals(a.Name, c.Path[0], StringComparison.OrdinalIgnoreCase)) is { Expression: { } aliased } => aliased,
        UnaryExpression u => u with { Operand = WithAliases(u.Operand) },
        BinaryExpression b => b with { Left = WithAliases(b.Left), Right = WithAliases(b.Right) },
        LikeExpression l => l with { Value = WithAliases(l.Value) },
        InExpression i => i with { Value = WithAliases(i.Value), Items = i.Items.Select(WithAliases).ToList() },
        BetweenExpression b => b with { Value = WithAliases(b.Value), Low = WithAliases(b.Low), High = WithAliases(b.High) },
        IsNullExpression n => n with { Value = WithAliases(n.Value) },
        _ => expression,
    };

    /// <summary>Refuses a column read outside an aggregate that is not (part of) a GROUP BY expression.</summary>
    private void CheckGrouped(SqlExpression expression)
    {
        if (expression is LiteralExpression || (expression is FunctionCall call && Aggregates.Contains(call.Name)))
        {
            return;
        }
        if (_grouped!.Contains(CompileExpression(expression, null, allowAggregates: true, "").Sql))
        {
            return;
        }
        SqlExpression[] operands = expression switch
        {
            ColumnReference column => throw new SqlQueryException(
                column.Position, $"'{string.Join('.', column.Path)}' must appear in GROUP BY or inside an aggregate"),
            UnaryExpression u => [u.Operand],
            BinaryExpression b => [b.Left, b.Right],
            LikeExpression l => [l.Value],
            InExpression i => [i.Value],
            BetweenExpression b => [b.Value, b.Low, b.High],
            IsNullExpression n => [n.Value],
            FunctionCall f => [.. f.Arguments],
            _ => [],
        };
        foreach (var operand in operands)
        {
            CheckGrouped(operand);
        }
    }

    private string Condition(SqlExpression expression, string clause, bool allowAggregates)
    {
        var compiled = CompileExpression(expression, null, allowAggregates, clause);
        if (compiled.Type is not (SqlType.Boolean or SqlType.Null))
        {
            throw new SqlQueryException(expression.Position, $"{clause} needs a condition, not a {Describe(compiled.Type)} value");
        }
        return "(" + compiled.Sql + ")";
    }

    private SqlColumn Resolve(ColumnReference reference)
    {
        var path = reference.Path;
        if (_tableAlias is not null && path.Count > 1 && string.Equals(path[0], _tableAlias, StringComparison.OrdinalIgnoreCase))
        {
            path = path.Skip(1).ToList();
        }
        var name = string.Join('.', path);
        return _table.Find(name)
               ?? throw new SqlQueryException(reference.Position, $"no column '{Shorten(name)}' in {(_table == _dialect.VpcFlowLogs ? SqlTable.VpcFlowLogsName : "an event data store")}");
    }

    /// <summary>Compiles one expression; <paramref name="hint"/> is the type it is compared with (a string literal compared with a timestamp is read as one).</summary>
    private Compiled CompileExpression(SqlExpression expression, SqlType? hint, bool allowAggregates, string clause)
    {
        switch (expression)
        {
            case ColumnReference column:
            {
                var resolved = Resolve(column);
                return new Compiled(resolved.Sql, resolved.Type, false);
            }
            case LiteralExpression literal:
                return Literal(literal, hint);
            case UnaryExpression { Operator: "NOT" } not:
            {
                var operand = CompileExpression(not.Operand, SqlType.Boolean, allowAggregates, clause);
                RequireType(operand, not.Operand, "NOT", SqlType.Boolean);
                return new Compiled($"(NOT {operand.Sql})", SqlType.Boolean, operand.HasAggregate);
            }
            case UnaryExpression negate:
            {
                var operand = CompileExpression(negate.Operand, SqlType.BigInt, allowAggregates, clause);
                RequireNumber(operand, negate.Operand, "-");
                return new Compiled($"(-{operand.Sql})", operand.Type, operand.HasAggregate);
            }
            case BinaryExpression { Operator: "AND" or "OR" } logical:
            {
                var left = CompileExpression(logical.Left, SqlType.Boolean, allowAggregates, clause);
                var right = CompileExpression(logical.Right, SqlType.Boolean, allowAggregates, clause);
                RequireType(left, logical.Left, logical.Operator, SqlType.Boolean);
                RequireType(right, logical.Right, logical.Operator, SqlType.Boolean);
                return new Compiled($"({left.Sql} {logical.Operator} {right.Sql})", SqlType.Boolean, left.HasAggregate || right.HasAggregate);
            }
            case BinaryExpression { Operator: "=" or "<>" or "<" or "<=" or ">" or ">=" } comparison:
            {
                var (left, right) = Comparable(comparison.Left, comparison.Right, comparison.Operator, allowAggregates, clause);
                return new Compiled($"({left.Sql} {comparison.Operator} {right.Sql})", SqlType.Boolean, left.HasAggregate || right.HasAggregate);
            }
            case BinaryExpression arithmetic:
            {
                var left = CompileExpression(arithmetic.Left, SqlType.BigInt, allowAggregates, clause);
                var right = CompileExpression(arithmetic.Right, SqlType.BigInt, allowAggregates, clause);
                RequireNumber(left, arithmetic.Left, arithmetic.Operator);
                RequireNumber(right, arithmetic.Right, arithmetic.Operator);
                var type = left.Type == SqlType.BigInt && right.Type == SqlType.BigInt ? SqlType.BigInt : SqlType.Numeric;
                return new Compiled($"({left.Sql} {arithmetic.Operator} {right.Sql})", type, left.HasAggregate || right.HasAggregate);
            }
            case LikeExpression like:
            {
                var value = CompileExpression(like.Value, SqlType.Varchar, allowAggregates, clause);
                var pattern = CompileExpression(like.Pattern, SqlType.Varchar, allowAggregates, clause);
                RequireType(value, like.Value, "LIKE", SqlType.Varchar);
                RequireType(pattern, like.Pattern, "LIKE", SqlType.Varchar);
                // No escape character unless one is given (Trino's rule; Postgres would take '\' by default).
                var escape = "''";
                if (like.Escape is { } e)
                {
                    if (e is not LiteralExpression { Kind: LiteralKind.String, Value: string { Length: 1 } character })
                    {
                        throw new SqlQueryException(e.Position, "ESCAPE takes a string of one character");
                    }
                    escape = _parameters.Add(character);
                }
                var sql = $"({value.Sql} LIKE {pattern.Sql} ESCAPE {escape})";
                return new Compiled(like.Negated ? $"(NOT {sql})" : sql, SqlType.Boolean, value.HasAggregate || pattern.HasAggregate);
            }
            case InExpression @in:
            {
                var value = CompileExpression(@in.Value, null, allowAggregates, clause);
                var items = @in.Items.Select(item => Comparable(value, @in.Value, item, "IN", allowAggregates, clause)).ToList();
                var sql = $"({value.Sql} {(@in.Negated ? "NOT IN" : "IN")} ({string.Join(", ", items.Select(i => i.Sql))}))";
                return new Compiled(sql, SqlType.Boolean, value.HasAggregate || items.Any(i => i.HasAggregate));
            }
            case BetweenExpression between:
            {
                var value = CompileExpression(between.Value, null, allowAggregates, clause);
                var low = Comparable(value, between.Value, between.Low, "BETWEEN", allowAggregates, clause);
                var high = Comparable(value, between.Value, between.High, "BETWEEN", allowAggregates, clause);
                var sql = $"({value.Sql} {(between.Negated ? "NOT BETWEEN" : "BETWEEN")} {low.Sql} AND {high.Sql})";
                return new Compiled(sql, SqlType.Boolean, value.HasAggregate || low.HasAggregate || high.HasAggregate);
            }
            case IsNullExpression isNull:
            {
                var value = CompileExpression(isNull.Value, null, allowAggregates, clause);
                return new Compiled($"({value.Sql} IS {(isNull.Negated ? "NOT " : "")}NULL)", SqlType.Boolean, value.HasAggregate);
            }
            case FunctionCall call:
                return Call(call, allowAggregates, clause);
            default:
                throw new SqlQueryException(expression.Position, "this expression is not supported");
        }
    }

    private Compiled Call(FunctionCall call, bool allowAggregates, string clause)
    {
        var name = call.Name.ToLowerInvariant();
        if (Aggregates.Contains(name))
        {
            if (!allowAggregates)
            {
                throw new SqlQueryException(call.Position, $"{name.ToUpperInvariant()} is an aggregate: not allowed in {clause}");
            }
            if (call.Star)
            {
                if (name != "count" || call.Distinct)
                {
                    throw new SqlQueryException(call.Position, $"{name.ToUpperInvariant()}(*) is not supported");
                }
                return new Compiled("count(*)", SqlType.BigInt, true);
            }
            if (call.Arguments.Count != 1)
            {
                throw new SqlQueryException(call.Position, $"{name.ToUpperInvariant()} takes one argument");
            }
            var argument = CompileExpression(call.Arguments[0], null, allowAggregates: false, $"{name.ToUpperInvariant()}()");
            var type = name switch
            {
                "count" => SqlType.BigInt,
                "sum" or "avg" => Number(argument, call.Arguments[0], name.ToUpperInvariant()),
                _ => argument.Type == SqlType.Json ? throw new SqlQueryException(call.Arguments[0].Position, $"{name.ToUpperInvariant()} cannot order a map or struct") : argument.Type,
            };
            return new Compiled($"{name}({(call.Distinct ? "DISTINCT " : "")}{argument.Sql})", type, true);
        }
        if (name == "element_at")
        {
            if (call.Star || call.Distinct || call.Arguments.Count != 2)
            {
                throw new SqlQueryException(call.Position, "element_at takes a map column and a key: element_at(requestParameters, 'bucketName')");
            }
            var map = CompileExpression(call.Arguments[0], null, allowAggregates, clause);
            if (map.Type != SqlType.Json)
            {
                throw new SqlQueryException(call.Arguments[0].Position, "element_at reads a map column (requestParameters, responseElements, additionalEventData, ...)");
            }
            if (call.Arguments[1] is not LiteralExpression { Kind: LiteralKind.String, Value: string key })
            {
                throw new SqlQueryException(call.Arguments[1].Position, "element_at takes its key as a string literal");
            }
            return new Compiled($"({map.Sql} ->> {_parameters.Add(_dialect.MapKey(key))})", SqlType.Varchar, map.HasAggregate);
        }
        throw new SqlQueryException(call.Position, $"function '{Shorten(call.Name)}' is not supported (supported: COUNT, SUM, AVG, MIN, MAX, element_at)");
    }

    private static SqlType Number(Compiled argument, SqlExpression at, string function)
    {
        RequireNumber(argument, at, function);
        return SqlType.Numeric;
    }

    private (Compiled Left, Compiled Right) Comparable(SqlExpression leftExpression, SqlExpression rightExpression, string op, bool allowAggregates, string clause)
    {
        // The side that is not a literal decides how a string literal on the other side is read.
        if (leftExpression is LiteralExpression && rightExpression is not LiteralExpression)
        {
            var right = CompileExpression(rightExpression, null, allowAggregates, clause);
            return (Comparable(right, rightExpression, leftExpression, op, allowAggregates, clause), right);
        }
        var left = CompileExpression(leftExpression, null, allowAggregates, clause);
        return (left, Comparable(left, leftExpression, rightExpression, op, allowAggregates, clause));
    }

    private Compiled Comparable(Compiled first, SqlExpression firstExpression, SqlExpression other, string op, bool allowAggregates, string clause)
    {
        var compiled = CompileExpression(other, first.Type, allowAggregates, clause);
        if (first.Type == SqlType.Json || compiled.Type == SqlType.Json)
        {
            var at = first.Type == SqlType.Json ? firstExpression : other;
            throw new SqlQueryException(at.Position, $"{op} cannot compare a map or struct: read one of its fields (element_at, or a path)");
        }
        if (!Compatible(first.Type, compiled.Type))
        {
            throw new SqlQueryException(other.Position, $"{op} cannot compare {Describe(first.Type)} with {Describe(compiled.Type)}");
        }
        return compiled;
    }

    private static bool Compatible(SqlType a, SqlType b) =>
        a == b || a == SqlType.Null || b == SqlType.Null || (IsNumber(a) && IsNumber(b));

    private static bool IsNumber(SqlType type) => type is SqlType.BigInt or SqlType.Numeric;

    private Compiled Literal(LiteralExpression literal, SqlType? hint)
    {
        switch (literal.Kind)
        {
            case LiteralKind.Null:
                return new Compiled("NULL", SqlType.Null, false);
            case LiteralKind.Boolean:
                return new Compiled((bool)literal.Value! ? "true" : "false", SqlType.Boolean, false);
            case LiteralKind.Integer:
                return new Compiled(_parameters.Add((long)literal.Value!), SqlType.BigInt, false);
            case LiteralKind.Decimal:
                return new Compiled(_parameters.Add((decimal)literal.Value!), SqlType.Numeric, false);
            case LiteralKind.Timestamp:
                return new Compiled(_parameters.Add(ParseTimestamp(literal)), SqlType.Timestamp, false);
            default:
                var text = (string)literal.Value!;
                if (hint == SqlType.Timestamp)
                {
                    return new Compiled(_parameters.Add(ParseTimestamp(literal)), SqlType.Timestamp, false);
                }
                return new Compiled(_parameters.Add(text), SqlType.Varchar, false);
        }
    }

    private static DateTimeOffset ParseTimestamp(LiteralExpression literal)
    {
        var text = ((string)literal.Value!).Trim();
        if (DateTimeOffset.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value.ToUniversalTime();
        }
        throw new SqlQueryException(literal.Position, $"'{Shorten(text)}' is not a timestamp: write 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' (UTC)");
    }

    private static void RequireType(Compiled compiled, SqlExpression at, string op, SqlType type)
    {
        if (compiled.Type != type && compiled.Type != SqlType.Null)
        {
            throw new SqlQueryException(at.Position, $"{op} needs a {Describe(type)} operand, not a {Describe(compiled.Type)}");
        }
    }

    private static void RequireNumber(Compiled compiled, SqlExpression at, string op)
    {
        if (!IsNumber(compiled.Type) && compiled.Type != SqlType.Null)
        {
            throw new SqlQueryException(at.Position, $"{op} needs a number, not a {Describe(compiled.Type)}");
        }
    }

    private static string Describe(SqlType type) => type switch
    {
        SqlType.Varchar => "varchar",
        SqlType.BigInt => "bigint",
        SqlType.Numeric => "decimal",
        SqlType.Boolean => "boolean",
        SqlType.Timestamp => "timestamp",
        SqlType.Json => "map or struct",
        _ => "null",
    };

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "...";
}
