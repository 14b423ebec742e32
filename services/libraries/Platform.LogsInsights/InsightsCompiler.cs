namespace Platform.LogsInsights;

/// <summary>What a query runs over: its time range and log groups.</summary>
/// <param name="Start">The earliest event time included.</param>
/// <param name="End">The latest event time included.</param>
/// <param name="LogGroups">Exact log group names; a query's own <c>SOURCE</c> takes their place.</param>
public sealed record InsightsScope(DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<string> LogGroups);

/// <summary>A compiled query: the statement to run and the statement counting what it reads (for recordsScanned).</summary>
public sealed record CompiledInsightsQuery(SqlStatement Statement, SqlStatement Scope);

/// <summary>
/// Compiles a parsed query to SQL over ingestion's raw log store (<c>log_events</c>). The text is built from fixed
/// fragments and generated aliases only: every value of the query (strings, numbers, regular expressions, field paths
/// given to <c>#&gt;&gt;</c> as text[], log group names, the time range) is a parameter. Values are compared as
/// numbers when either side is a number, else as text; every result value is text as GetQueryResults gives it
/// (times <c>yyyy-MM-dd HH:mm:ss.fff</c> UTC). Relies on migration 0004's <c>query_numeric</c> and <c>query_inet</c>.
/// </summary>
public sealed class InsightsCompiler
{
    /// <summary>The most log groups a query may read (StartQuery's limit).</summary>
    public const int MaxLogGroups = 50;

    private readonly List<object?> _parameters = [];
    private readonly string _text;
    private int _aliases;

    private InsightsCompiler(string text) => _text = text;

    /// <summary>Compiles <paramref name="query"/>; throws <see cref="InsightsSyntaxException"/> for what parses but cannot run.</summary>
    public static CompiledInsightsQuery Compile(InsightsQuery query, InsightsScope scope)
    {
        var compiler = new InsightsCompiler(query.Text);
        var where = compiler.ScopeCondition(query.Source, scope);
        var countParameters = compiler._parameters.ToArray();
        var count = new SqlStatement($"SELECT count(*), coalesce(sum(octet_length(e.record)), 0) FROM log_events AS e WHERE {where}", countParameters, ["records", "bytes"]);
        return new CompiledInsightsQuery(compiler.CompileCommands(query, where), count);
    }

    private string ScopeCondition(SourceClause? source, InsightsScope scope)
    {
        var groups = new List<string>();
        var names = source?.Names ?? scope.LogGroups;
        if (names.Count > 0)
        {
            groups.Add($"e.log_group = ANY({Parameter(names.ToArray(), "text[]")})");
        }
        foreach (var prefix in source?.Prefixes ?? [])
        {
            groups.Add($"starts_with(e.log_group, {Parameter(prefix, "text")})");
        }
        var range = $"e.event_time >= {Parameter(scope.Start.ToUniversalTime(), "timestamptz")} AND e.event_time <= {Parameter(scope.End.ToUniversalTime(), "timestamptz")}";
        return groups.Count == 0 ? range + " AND false" : $"{range} AND ({string.Join(" OR ", groups)})";
    }

    private SqlStatement CompileCommands(InsightsQuery query, string scopeCondition)
    {
        var stage = Stage.Events(
            "(SELECT e.event_time AS t, e.ingested_at AS i, e.log_group AS g, e.log_stream AS s, e.event_id AS p, e.record AS m, " +
            $"coalesce(e.document, e.record)::jsonb AS d FROM log_events AS e WHERE {scopeCondition} OFFSET 0) AS b", "b");
        var commands = query.Commands;
        for (var index = 0; index < commands.Count; index++)
        {
            var command = commands[index];
            if (stage.Deduplicated && command is not LimitCommand)
            {
                throw Error(command.Offset, "only limit may follow dedup");
            }
            switch (command)
            {
                case FieldsCommand fields:
                    stage = Settled(stage);
                    foreach (var item in fields.Items)
                    {
                        var value = Compile(item.Expression, stage);
                        stage.Names[item.Name] = value;
                        stage.AddOutput(item.Name);
                    }
                    break;
                case DisplayCommand display:
                    stage.Display = [.. display.Fields.Select(f => { Compile(f, stage); return f.Name; })];
                    break;
                case FilterCommand filter:
                    stage = Settled(stage);
                    stage.Where.Add(Condition(Compile(filter.Condition, stage)));
                    break;
                case ParseCommand parse:
                    stage = Settled(stage);
                    var source = Text(Compile(parse.Source, stage));
                    var pattern = Parameter(parse.Pattern, "text");
                    for (var group = 0; group < parse.Names.Count; group++)
                    {
                        stage.Names[parse.Names[group]] = new Value($"(regexp_match({source}, {pattern}))[{group + 1}]", ValueType.Text);
                        stage.Parsed.Add(parse.Names[group]);
                    }
                    break;
                case StatsCommand stats:
                    stage = Aggregate(Settled(stage), stats);
                    break;
                case SortCommand sort:
                    stage = stage.Limit is null ? stage : Wrap(stage);
                    stage.Order = [.. sort.Keys.SelectMany(k => Order(Compile(k.Expression, stage), k.Descending))];
                    break;
                case LimitCommand limit:
                    stage = stage.Limit is null ? stage : Wrap(stage);
                    stage.Limit = Parameter((long)limit.Count, "bigint");
                    break;
                case DedupCommand dedup:
                    stage = Deduplicate(stage, dedup);
                    break;
                default:
                    throw Error(command.Offset, "this command is not supported");
            }
        }
        return Final(stage);
    }

    /// <summary>A stage filters may still be added to: one not yet sorted or limited (otherwise it is wrapped first).</summary>
    private Stage Settled(Stage stage) => stage.Limit is null && stage.Order.Count == 0 ? stage : Wrap(stage);

    private Stage Aggregate(Stage stage, StatsCommand stats)
    {
        if (!stage.PerEvent)
        {
            throw Error(stats.Offset, "stats may only follow commands on log events, not another stats");
        }
        var select = new List<string>();
        var groups = new List<string>();
        var alias = NextAlias();
        var next = Stage.Results(alias);
        foreach (var key in stats.By)
        {
            var value = key.Expression is CallExpr { Name: "bin" } bin ? Bin(bin, stage) : Compile(key.Expression, stage, aggregate: true);
            if (value.Aggregate)
            {
                throw Error(key.Expression.Offset, "an aggregate function cannot be a 'by' key");
            }
            var column = "k" + groups.Count;
            select.Add($"{value.Sql} AS {column}");
            groups.Add(value.Sql);
            next.Names[key.Name] = new Value($"{alias}.{column}", value.Type);
            next.AddOutput(key.Name);
        }
        for (var i = 0; i < stats.Aggregates.Count; i++)
        {
            var item = stats.Aggregates[i];
            var value = Compile(item.Expression, stage, aggregate: true);
            if (!value.Aggregate)
            {
                throw Error(item.Expression.Offset, "expected an aggregate function such as count(*), sum(field) or avg(field)");
            }
            select.Add($"{value.Sql} AS a{i}");
            next.Names[item.Name] = new Value($"{alias}.a{i}", value.Type);
            next.AddOutput(item.Name);
        }
        var sql = new StringBuilder($"(SELECT {string.Join(", ", select)} FROM {stage.From}");
        AppendWhere(sql, stage);
        if (groups.Count > 0)
        {
            sql.Append(" GROUP BY ").Append(string.Join(", ", groups.Select((_, i) => (i + 1).ToString(CultureInfo.InvariantCulture))));
        }
        next.From = sql.Append($") AS {alias}").ToString();
        return next;
    }

    private Stage Deduplicate(Stage stage, DedupCommand dedup)
    {
        if (stage.Order.Count == 0)
        {
            stage.Order = Order(Field("@timestamp", stage, dedup.Offset), descending: true).ToList();
        }
        var keys = dedup.Fields.Select(f => Text(Compile(f, stage))).ToArray();
        var rank = $"row_number() OVER (PARTITION BY {string.Join(", ", keys)} ORDER BY {string.Join(", ", stage.Order)})";
        var next = Wrap(stage, [(rank, "dr"), .. keys.Select((k, i) => (k, "dk" + i))]);
        // Null values are not duplicates: an event missing a key is kept.
        var nulls = keys.Select((_, i) => $" OR {next.Alias}.dk{i} IS NULL");
        next.Where.Add($"({next.Alias}.dr = 1{string.Concat(nulls)})");
        next.Deduplicated = true;
        return next;
    }

    /// <summary>The stage as a subquery of a new one, every name it defined (and the event's own columns) carried over, its order kept.</summary>
    private Stage Wrap(Stage stage, IReadOnlyList<(string Sql, string Column)>? extra = null)
    {
        var alias = NextAlias();
        var next = stage.PerEvent ? Stage.Events("", alias) : Stage.Results(alias);
        var select = new List<string>();
        if (stage.PerEvent)
        {
            select.AddRange(Stage.EventColumns.Select(c => $"{stage.Alias}.{c}"));
        }
        var n = 0;
        foreach (var (name, value) in stage.Names)
        {
            select.Add($"{value.Sql} AS n{n}");
            next.Names[name] = value with { Sql = $"{alias}.n{n++}" };
        }
        for (var i = 0; i < stage.Order.Count; i++)
        {
            var key = stage.Order[i];
            var direction = key.EndsWith(" DESC NULLS LAST", StringComparison.Ordinal) ? " DESC NULLS LAST" : " ASC NULLS LAST";
            select.Add($"{key[..^direction.Length]} AS o{i}");
            next.Order.Add($"{alias}.o{i}{direction}");
        }
        select.AddRange((extra ?? []).Select(e => $"{e.Sql} AS {e.Column}"));
        var sql = new StringBuilder($"(SELECT {string.Join(", ", select)} FROM {stage.From}");
        AppendWhere(sql, stage);
        AppendOrderAndLimit(sql, stage);
        next.From = sql.Append($") AS {alias}").ToString();
        next.Outputs.AddRange(stage.Outputs);
        next.Parsed.AddRange(stage.Parsed);
        next.Display = stage.Display;
        return next;
    }

    private SqlStatement Final(Stage stage)
    {
        var names = stage.Display ?? (stage.Outputs.Count > 0 ? [.. stage.Outputs] : ["@timestamp", "@message", .. stage.Parsed]);
        if (stage.PerEvent && !names.Contains("@ptr"))
        {
            names = [.. names, "@ptr"];
        }
        var columns = names.Select((name, i) => $"{Text(Field(name, stage, 0))} AS c{i}");
        var sql = new StringBuilder($"SELECT {string.Join(", ", columns)} FROM {stage.From}");
        AppendWhere(sql, stage);
        AppendOrderAndLimit(sql, stage);
        return new SqlStatement(sql.ToString(), _parameters.ToArray(), names);
    }

    private static void AppendWhere(StringBuilder sql, Stage stage)
    {
        if (stage.Where.Count > 0)
        {
            sql.Append(" WHERE ").Append(string.Join(" AND ", stage.Where));
        }
    }

    private static void AppendOrderAndLimit(StringBuilder sql, Stage stage)
    {
        if (stage.Order.Count > 0)
        {
            sql.Append(" ORDER BY ").Append(string.Join(", ", stage.Order));
        }
        if (stage.Limit is not null)
        {
            sql.Append(" LIMIT ").Append(stage.Limit);
        }
    }

    /// <summary>
    /// Sort keys as Logs Insights orders values: numbers by value; other text before numbers, by code point; missing values last.
    /// </summary>
    private static IEnumerable<string> Order(Value value, bool descending)
    {
        var direction = descending ? " DESC NULLS LAST" : " ASC NULLS LAST";
        if (value.Type is ValueType.Number or ValueType.Time)
        {
            return [value.Sql + direction];
        }
        var text = Text(value);
        return [$"(query_numeric({text}) IS NOT NULL){direction}", $"query_numeric({text}){direction}", $"({text}) COLLATE \"C\"{direction}"];
    }

    private Value Compile(Expr expression, Stage stage, bool aggregate = false)
    {
        if (stage.Names.TryGetValue(expression.Render(), out var named) && expression is not FieldExpr)
        {
            return named;
        }
        switch (expression)
        {
            case FieldExpr field:
                return Field(field.Name, stage, field.Offset);
            case StringExpr text:
                return new Value(Parameter(text.Value, "text"), ValueType.Text);
            case NumberExpr number:
                return new Value(Parameter(number.Value, "numeric"), ValueType.Number);
            case RegexExpr regex:
                throw Error(regex.Offset, "a regular expression only follows like, =~ or parse");
            case DurationExpr duration:
                return new Value(Parameter(duration.Seconds * 1000m, "numeric"), ValueType.Number);
            case StarExpr star:
                throw Error(star.Offset, "'*' only appears in count(*)");
            case UnaryExpr { Operator: "not" } not:
                var negated = Compile(not.Operand, stage, aggregate);
                return new Value($"(NOT {Condition(negated)})", ValueType.Bool, negated.Aggregate);
            case UnaryExpr minus:
                var operand = Compile(minus.Operand, stage, aggregate);
                return new Value($"(-{Number(operand)})", ValueType.Number, operand.Aggregate);
            case InExpr inList:
                return In(inList, stage, aggregate);
            case BinaryExpr binary:
                return Binary(binary, stage, aggregate);
            case CallExpr call:
                return Functions.IsAggregate(call.Name)
                    ? aggregate ? AggregateCall(call, stage) : throw Error(call.Offset, $"{call.WrittenName} is an aggregate function: it belongs in stats")
                    : Call(call, stage, aggregate);
            default:
                throw Error(expression.Offset, "this expression is not supported");
        }
    }

    private Value Field(string name, Stage stage, int offset)
    {
        if (stage.Names.TryGetValue(name, out var value))
        {
            return value;
        }
        if (!stage.PerEvent)
        {
            throw Error(offset, $"'{name}' is not a field of the stats results (they are {string.Join(", ", stage.Names.Keys)})");
        }
        var a = stage.Alias;
        return name switch
        {
            "@timestamp" => new Value($"{a}.t", ValueType.Time),
            "@ingestionTime" => new Value($"{a}.i", ValueType.Time),
            "@message" => new Value($"{a}.m", ValueType.Text),
            "@logStream" => new Value($"{a}.s", ValueType.Text),
            "@log" => new Value($"{a}.g", ValueType.Text),
            "@ptr" => new Value($"{a}.p", ValueType.Text),
            _ => new Value($"({a}.d #>> {Parameter(name.Split('.'), "text[]")})", ValueType.Text),
        };
    }

    private Value In(InExpr inList, Stage stage, bool aggregate)
    {
        var subject = Compile(inList.Subject, stage, aggregate);
        var numbers = inList.Values.All(v => v is NumberExpr);
        var list = numbers
            ? $"{Number(subject)} = ANY({Parameter(inList.Values.Cast<NumberExpr>().Select(n => n.Value).ToArray(), "numeric[]")})"
            : $"{Text(subject)} = ANY({Parameter(inList.Values.Select(v => v is StringExpr s ? s.Value : ((NumberExpr)v).Value.ToString(CultureInfo.InvariantCulture)).ToArray(), "text[]")})";
        return new Value(inList.Negated ? $"(NOT coalesce({list}, false))" : $"coalesce({list}, false)", ValueType.Bool, subject.Aggregate);
    }

    private Value Binary(BinaryExpr binary, Stage stage, bool aggregate)
    {
        var left = Compile(binary.Left, stage, aggregate);
        var isAggregate = left.Aggregate;
        if (binary.Operator is "like" or "=~")
        {
            var subject = Text(left);
            var sql = binary.Right switch
            {
                RegexExpr regex => $"coalesce({subject} ~ {Parameter(regex.Pattern, "text")}, false)",
                StringExpr text => $"coalesce(strpos({subject}, {Parameter(text.Value, "text")}) > 0, false)",
                _ => throw Error(binary.Right.Offset, "expected a string or a /regular expression/"),
            };
            return new Value(sql, ValueType.Bool, isAggregate);
        }
        var right = Compile(binary.Right, stage, aggregate);
        isAggregate |= right.Aggregate;
        switch (binary.Operator)
        {
            case "and":
            case "or":
                return new Value($"({Condition(left)} {binary.Operator.ToUpperInvariant()} {Condition(right)})", ValueType.Bool, isAggregate);
            case "+" or "-" or "*":
                return new Value($"({Number(left)} {binary.Operator} {Number(right)})", ValueType.Number, isAggregate);
            case "/":
                return new Value($"({Number(left)} / nullif({Number(right)}, 0))", ValueType.Number, isAggregate);
            case "%":
                return new Value($"mod({Number(left)}, nullif({Number(right)}, 0))", ValueType.Number, isAggregate);
            case "^":
                return new Value($"power({Number(left)}, {Number(right)})", ValueType.Number, isAggregate);
            default:
                var op = binary.Operator == "!=" ? "<>" : binary.Operator;
                var comparison = left.Type == ValueType.Number || right.Type == ValueType.Number
                        || (left.Type == ValueType.Time && right.Type == ValueType.Time)
                    ? left.Type == ValueType.Time && right.Type == ValueType.Time ? $"{left.Sql} {op} {right.Sql}" : $"{Number(left)} {op} {Number(right)}"
                    : $"{Text(left)} {op} {Text(right)} COLLATE \"C\"";
                return new Value($"coalesce({comparison}, false)", ValueType.Bool, isAggregate);
        }
    }

    private Value Bin(CallExpr call, Stage stage)
    {
        Arity(call, 1, 1);
        var period = call.Arguments[0] is DurationExpr duration ? duration : throw Error(call.Arguments[0].Offset, "expected a time period such as 5m");
        return Floor(Field("@timestamp", stage, call.Offset), period);
    }

    private Value Floor(Value time, DurationExpr period, bool ceiling = false)
    {
        var seconds = Parameter((decimal)period.Seconds, "numeric");
        var round = ceiling ? "ceil" : "floor";
        return new Value($"to_timestamp({round}(extract(epoch FROM {Time(time)}) / {seconds}) * {seconds})", ValueType.Time, time.Aggregate);
    }

    private Value Call(CallExpr call, Stage stage, bool aggregate)
    {
        if (call.Name == "bin")
        {
            return Bin(call, stage);
        }
        var args = call.Name is "datefloor" or "dateceil"
            ? []
            : call.Arguments.Select(a => Compile(a, stage, aggregate)).ToArray();
        if (!Functions.ScalarArity.TryGetValue(call.Name, out var arity))
        {
            throw Error(call.Offset, $"unknown function '{call.WrittenName}'");
        }
        Arity(call, arity.Min, arity.Max);
        if (call.Name is "datefloor" or "dateceil")
        {
            var period = call.Arguments[1] as DurationExpr ?? throw Error(call.Arguments[1].Offset, "expected a time period such as 1h");
            return Floor(Compile(call.Arguments[0], stage, aggregate), period, call.Name == "dateceil");
        }
        var (sql, type) = call.Name switch
        {
            "ispresent" => ($"({args[0].Sql} IS NOT NULL)", ValueType.Bool),
            "isempty" => ($"coalesce({Text(args[0])} = '', true)", ValueType.Bool),
            "isblank" => ($"coalesce(btrim({Text(args[0])}) = '', true)", ValueType.Bool),
            "strlen" => ($"length({Text(args[0])})::numeric", ValueType.Number),
            "toupper" => ($"upper({Text(args[0])})", ValueType.Text),
            "tolower" => ($"lower({Text(args[0])})", ValueType.Text),
            "trim" or "ltrim" or "rtrim" => ($"{(call.Name == "trim" ? "btrim" : call.Name)}({Text(args[0])})", ValueType.Text),
            "concat" => ($"concat({string.Join(", ", args.Select(Text))})", ValueType.Text),
            "substr" => (Substring(args), ValueType.Text),
            "replace" => ($"replace({Text(args[0])}, {Text(args[1])}, {Text(args[2])})", ValueType.Text),
            "strcontains" => ($"(strpos({Text(args[0])}, {Text(args[1])}) > 0)::int::numeric", ValueType.Number),
            "abs" or "ceil" or "floor" => ($"{call.Name}({Number(args[0])})", ValueType.Number),
            "greatest" or "least" => ($"{call.Name}({string.Join(", ", args.Select(Number))})", ValueType.Number),
            "frommillis" => ($"to_timestamp({Number(args[0])} / 1000)", ValueType.Time),
            "tomillis" => ($"floor(extract(epoch FROM {Time(args[0])}) * 1000)", ValueType.Number),
            "isvalidip" => ($"(query_inet({Text(args[0])}) IS NOT NULL)", ValueType.Bool),
            "isvalidipv4" or "isvalidipv6" =>
                ($"coalesce(family(query_inet({Text(args[0])})) = {(call.Name == "isvalidipv4" ? 4 : 6)}, false)", ValueType.Bool),
            "isipv4insubnet" =>
                ($"coalesce(family(query_inet({Text(args[0])})) = 4 AND query_inet({Text(args[0])}) <<= query_inet({Text(args[1])}), false)", ValueType.Bool),
            "isipinsubnet" => ($"coalesce(query_inet({Text(args[0])}) <<= query_inet({Text(args[1])}), false)", ValueType.Bool),
            _ => throw new System.Diagnostics.UnreachableException($"{call.Name} has an arity but no translation"),
        };
        return new Value(sql, type, args.Any(a => a.Aggregate));
    }

    /// <summary><c>substr(text, start[, length])</c>: Insights counts from 0, Postgres from 1.</summary>
    private static string Substring(Value[] args)
    {
        var start = $"(greatest(least(floor({Number(args[1])}), 2147483646), 0)::int + 1)";
        return args.Length == 2
            ? $"substr({Text(args[0])}, {start})"
            : $"substr({Text(args[0])}, {start}, greatest(least(floor({Number(args[2])}), 2147483647), 0)::int)";
    }

    private Value AggregateCall(CallExpr call, Stage stage)
    {
        Value Argument(int index) => Compile(call.Arguments[index], stage, aggregate: true) is { Aggregate: false } value
            ? value
            : throw Error(call.Arguments[index].Offset, "aggregate functions do not nest");
        switch (call.Name)
        {
            case "count":
                Arity(call, 0, 1);
                return new Value(call.Arguments.Count == 0 || call.Arguments[0] is StarExpr ? "count(*)::numeric" : $"count({Argument(0).Sql})::numeric", ValueType.Number, true);
            case "count_distinct":
                Arity(call, 1, 1);
                return new Value($"count(DISTINCT {Text(Argument(0))})::numeric", ValueType.Number, true);
            case "sum" or "avg":
                Arity(call, 1, 1);
                return new Value($"{call.Name}({Number(Argument(0))})", ValueType.Number, true);
            case "min" or "max":
                Arity(call, 1, 1);
                var value = Argument(0);
                return value.Type == ValueType.Time
                    ? new Value($"{call.Name}({value.Sql})", ValueType.Time, true)
                    : new Value($"{call.Name}({Number(value)})", ValueType.Number, true);
            case "pct" or "percentile":
                Arity(call, 2, 2);
                var percent = call.Arguments[1] as NumberExpr is { Value: >= 0 and <= 100 } p ? p.Value
                    : throw Error(call.Arguments[1].Offset, "expected a percentile from 0 to 100");
                return new Value(
                    $"(percentile_cont({Parameter((double)(percent / 100), "float8")}) WITHIN GROUP (ORDER BY {Number(Argument(0))}))::numeric", ValueType.Number, true);
            case "earliest" or "latest":
                Arity(call, 1, 1);
                var field = Argument(0);
                var direction = call.Name == "earliest" ? "ASC" : "DESC";
                var time = Field("@timestamp", stage, call.Offset).Sql;
                var id = Field("@ptr", stage, call.Offset).Sql;
                return new Value($"(array_agg({field.Sql} ORDER BY {time} {direction}, {id} {direction}))[1]", field.Type, true);
            default:
                throw Error(call.Offset, $"unknown aggregate function '{call.WrittenName}'");
        }
    }

    private void Arity(CallExpr call, int min, int max)
    {
        if (call.Arguments.Count < min || call.Arguments.Count > max)
        {
            throw Error(call.Offset, min == max
                ? $"{call.WrittenName} takes {min} argument{(min == 1 ? "" : "s")}"
                : $"{call.WrittenName} takes {min} to {max} arguments");
        }
    }

    private static string Text(Value value) => value.Type switch
    {
        ValueType.Text => value.Sql,
        ValueType.Number => $"trim_scale({value.Sql})::text",
        ValueType.Time => $"to_char({value.Sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')",
        _ => $"(CASE WHEN {value.Sql} THEN 'true' WHEN NOT {value.Sql} THEN 'false' END)",
    };

    private static string Number(Value value) => value.Type switch
    {
        ValueType.Number => value.Sql,
        ValueType.Text => $"query_numeric({value.Sql})",
        ValueType.Time => $"floor(extract(epoch FROM {value.Sql}) * 1000)",
        _ => $"({value.Sql})::int::numeric",
    };

    private static string Time(Value value) => value.Type switch
    {
        ValueType.Time => value.Sql,
        _ => $"to_timestamp({Number(value)} / 1000)",
    };

    private static string Condition(Value value) => value.Type switch
    {
        ValueType.Bool => value.Sql,
        ValueType.Number => $"coalesce({value.Sql} <> 0, false)",
        _ => $"({value.Sql} IS NOT NULL)",
    };

    /// <summary>Adds a parameter and answers its placeholder, cast so Postgres knows its type.</summary>
    private string Parameter(object value, string type)
    {
        _parameters.Add(value);
        return $"${_parameters.Count}::{type}";
    }

    private string NextAlias() => "q" + (++_aliases).ToString(CultureInfo.InvariantCulture);

    private InsightsSyntaxException Error(int offset, string reason) => InsightsSyntaxException.At(_text, offset, reason);

    private enum ValueType
    {
        Text,
        Number,
        Time,
        Bool,
    }

    /// <summary>A compiled expression: SQL over the stage's alias, its type, and whether it aggregates.</summary>
    private sealed record Value(string Sql, ValueType Type, bool Aggregate = false);

    /// <summary>One level of the query: a source, the names defined on it, and what is applied to it.</summary>
    private sealed class Stage
    {
        public static readonly string[] EventColumns = ["t", "i", "g", "s", "p", "m", "d"];

        private Stage(string from, string alias, bool perEvent) => (From, Alias, PerEvent) = (from, alias, perEvent);

        public string From { get; set; }

        public string Alias { get; }

        /// <summary>Rows are log events: system fields and JSON paths resolve; otherwise only <see cref="Names"/> do.</summary>
        public bool PerEvent { get; }

        public Dictionary<string, Value> Names { get; } = new(StringComparer.Ordinal);

        public List<string> Outputs { get; } = [];

        public List<string> Parsed { get; } = [];

        public List<string>? Display { get; set; }

        public List<string> Where { get; } = [];

        public List<string> Order { get; set; } = [];

        public string? Limit { get; set; }

        public bool Deduplicated { get; set; }

        public static Stage Events(string from, string alias) => new(from, alias, perEvent: true);

        public static Stage Results(string alias) => new("", alias, perEvent: false);

        public void AddOutput(string name)
        {
            if (!Outputs.Contains(name, StringComparer.Ordinal))
            {
                Outputs.Add(name);
            }
        }
    }
}

/// <summary>The function names the compiler knows.</summary>
internal static class Functions
{
    private static readonly HashSet<string> Aggregates = new(StringComparer.Ordinal)
    {
        "count", "count_distinct", "sum", "avg", "min", "max", "pct", "percentile", "earliest", "latest",
    };

    /// <summary>The scalar functions besides <c>bin</c>, with the fewest and most arguments each takes.</summary>
    public static readonly IReadOnlyDictionary<string, (int Min, int Max)> ScalarArity = new Dictionary<string, (int Min, int Max)>(StringComparer.Ordinal)
    {
        ["datefloor"] = (2, 2), ["dateceil"] = (2, 2),
        ["ispresent"] = (1, 1), ["isempty"] = (1, 1), ["isblank"] = (1, 1),
        ["strlen"] = (1, 1), ["toupper"] = (1, 1), ["tolower"] = (1, 1), ["trim"] = (1, 1), ["ltrim"] = (1, 1), ["rtrim"] = (1, 1),
        ["concat"] = (1, 32), ["substr"] = (2, 3), ["replace"] = (3, 3), ["strcontains"] = (2, 2),
        ["abs"] = (1, 1), ["ceil"] = (1, 1), ["floor"] = (1, 1), ["greatest"] = (1, 32), ["least"] = (1, 32),
        ["frommillis"] = (1, 1), ["tomillis"] = (1, 1),
        ["isvalidip"] = (1, 1), ["isvalidipv4"] = (1, 1), ["isvalidipv6"] = (1, 1), ["isipv4insubnet"] = (2, 2), ["isipinsubnet"] = (2, 2),
    };

    public static bool IsAggregate(string name) => Aggregates.Contains(name);
}
