using System.Text;
using Platform.Database;
using Platform.Database.Queries;
using Platform.Ingestion.Parsing;
using Platform.SqlQueries;

namespace Platform.Benchmarks;

/// <summary>
/// The seed's Athena port-scanner query, compiled by <see cref="SqlQueryCompiler"/>, over flow logs stored as ingestion
/// stores them (ingestion's migrations, the documents <see cref="FlowLogParser"/> builds), against a baseline in the same
/// run: the SQL an engineer would write by hand for it over <c>log_events</c>. Both run on the test Postgres
/// (PLATFORM_TEST_POSTGRES) in a database of their own; <see cref="Flows"/> flow records, a scanner among them.
/// <code>dotnet run -c Release --project tests/Platform.Benchmarks -- --filter '*SqlQuery*'</code>
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class SqlQueryBenchmark
{
    private const int Flows = 200_000;

    private const string HandWritten = """
        SELECT document::jsonb ->> 'srcaddr' AS srcaddr, count(DISTINCT (document::jsonb ->> 'dstport')::bigint) AS ports_scanned
        FROM log_events
        WHERE source_type = 'vpcflow' AND document::jsonb ->> 'action' = 'REJECT'
        GROUP BY 1
        HAVING count(DISTINCT (document::jsonb ->> 'dstport')::bigint) > 100
        ORDER BY ports_scanned DESC
        """;

    private PostgresServer _postgres = null!;
    private NpgsqlDataSource _database = null!;
    private SqlStatement _compiled = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _postgres = new PostgresServer();
        _database = NpgsqlDataSource.Create(await _postgres.CreateDatabaseAsync("sqlbench"));
        foreach (var migration in MigrationScript.FromAssembly(typeof(FlowLogParser).Assembly, "ingestion"))
        {
            await using var command = _database.CreateCommand(migration.Sql);
            await command.ExecuteNonQueryAsync();
        }
        await using (var partition = _database.CreateCommand("CREATE TABLE log_events_bench PARTITION OF log_events DEFAULT"))
        {
            await partition.ExecuteNonQueryAsync();
        }

        var random = new Random(14);
        var start = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        await using var connection = await _database.OpenConnectionAsync();
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY log_events (event_id, source_type, event_time, ingested_at, source, record, document) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < Flows; i++)
            {
                // One flow in 100 is the scanner's (2,000 rejected ports); the rest, 500 sources, a third rejected.
                var (src, port, action) = i % 100 == 0
                    ? ("203.0.113.7", 1 + i / 100 % 2000, "REJECT")
                    : ($"10.0.{random.Next(2)}.{random.Next(250)}", random.Next(1, 60), random.Next(3) == 0 ? "REJECT" : "ACCEPT");
                var line = $"2 123456789012 eni-0a1b2c3d {src} 10.1.0.5 {40000 + i % 20000} {port} 6 3 {random.Next(40, 9000)} {start + i} {start + i + 60} {action} OK";
                var context = new LogEventContext("flows", null, null, null, DateTimeOffset.UtcNow, FlowLogFormat.Default, "bench", i);
                if (FlowLogParser.TryParse(Encoding.UTF8.GetBytes(line), FlowLogFormat.Default, context, out var parsed) is { } error)
                {
                    throw new InvalidOperationException(error);
                }
                var stored = parsed!.Event;
                await writer.StartRowAsync();
                await writer.WriteAsync(stored.EventId);
                await writer.WriteAsync(stored.SourceType);
                await writer.WriteAsync(stored.EventTime, NpgsqlTypes.NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(DateTimeOffset.UtcNow, NpgsqlTypes.NpgsqlDbType.TimestampTz);
                await writer.WriteAsync("bench");
                await writer.WriteAsync(line);
                await writer.WriteAsync(stored.Document.GetRawText());
            }
            await writer.CompleteAsync();
        }
        await using (var analyze = _database.CreateCommand("ANALYZE log_events"))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        _compiled = SqlQueryCompiler.TryCompile(SeedQueries.PortScanners, [], DateTimeOffset.UtcNow, out var refused)?.Query
                    ?? throw new InvalidOperationException(refused!.ToString());
        var (compiledRows, handRows) = (await RunAsync(_compiled.Text, _compiled.Parameters), await RunAsync(HandWritten, []));
        if (compiledRows != handRows || compiledRows != 1)
        {
            throw new InvalidOperationException($"the compiled query found {compiledRows} scanners, the hand-written one {handRows}: expected 1");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _database.Dispose();
        _postgres.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "hand-written SQL")]
    public Task<int> Baseline() => RunAsync(HandWritten, []);

    [Benchmark(Description = "seed's query, compiled")]
    public Task<int> Compiled() => RunAsync(_compiled.Text, _compiled.Parameters);

    /// <summary>What parsing and compiling add to each query: the statement alone, no database.</summary>
    [Benchmark(Description = "seed's query, parse + compile only")]
    public Task<int> ParseAndCompile() =>
        Task.FromResult(SqlQueryCompiler.TryCompile(SeedQueries.PortScanners, [], DateTimeOffset.UtcNow, out _)!.Query.Parameters.Count);

    private async Task<int> RunAsync(string sql, IReadOnlyList<object?> parameters)
    {
        await using var command = _database.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
        }
        return rows;
    }
}
