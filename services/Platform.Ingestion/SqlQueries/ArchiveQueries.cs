using System.ComponentModel.DataAnnotations;
using Amazon.S3;
using Amazon.S3.Model;
using DuckDB.NET.Data;
using Platform.Archive;
using Platform.Ingestion.Queries;
using Platform.SqlQueries;

namespace Platform.Ingestion.SqlQueries;

/// <summary>How archive-tier queries are bounded, under <c>Platform:Ingestion:ArchiveQueries</c> (time and rows are the runner's).</summary>
public sealed class ArchiveQueryOptions
{
    public const string Section = "Platform:Ingestion:ArchiveQueries";

    /// <summary>The most bytes of Parquet one query fetches; a query whose partitions hold more fails before fetching any.</summary>
    [Range(1, long.MaxValue)]
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The memory DuckDB may use for one query, in MB (beyond it the query fails).</summary>
    [Range(16, 65536)]
    public int MemoryLimitMb { get; set; } = 512;
}

/// <summary>
/// The archive tier of <c>/v1/sql-queries</c>: the compiled query (DuckDB dialect) over the archive's Parquet files.
/// The partitions the query can need (its <see cref="ArchiveRange"/>: source type, hours, account, region, from the Hive
/// keys) are fetched with AWSSDK.S3 into a folder of the query's own, which an in-memory DuckDB reads with
/// <c>read_parquet</c> (no extension is downloaded) and which is removed when the query ends. Bounded by
/// <see cref="ArchiveQueryOptions.MaxBytes"/>, the runner's row limit and statement timeout, and cancellable (the
/// fetch, and the statement through DuckDB's interrupt).
/// </summary>
public sealed class ArchiveQueries : IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly ArchiveLocation _location;
    private readonly ArchiveQueryOptions _options;
    private readonly QueryRunOptions _runs;

    public ArchiveQueries(ArchiveLocation location, ArchiveQueryOptions options, QueryRunOptions runs)
    {
        (_location, _options, _runs) = (location, options, runs);
        _client = location.CreateClient();
    }

    /// <summary>The source that runs a query compiled for <see cref="SqlDialect.DuckDb"/> over <paramref name="range"/>'s files.</summary>
    public IQueryRunSource For(ArchiveRange range) => new Source(this, range);

    public void Dispose() => _client.Dispose();

    /// <summary>
    /// The archive's Parquet objects of the range's partitions: listed under the narrowest prefix, then pruned by hour.
    /// The listing stops once they exceed <see cref="ArchiveQueryOptions.MaxBytes"/>: a query over too wide a range is
    /// refused before any download, and without holding the whole bucket's listing.
    /// </summary>
    private async Task<List<(string Key, long Size)>> ObjectsAsync(ArchiveRange range, CancellationToken cancellationToken)
    {
        var prefix = (_location.Prefix.Trim('/') is { Length: > 0 } root ? root + "/" : "") + range.SourceType + "/";
        // A value the archiver writes as it is (its partition values keep letters, digits, '-' and '_') narrows the listing.
        var account = PartitionValue(range.Account);
        var region = PartitionValue(range.Region);
        if (account is not null)
        {
            prefix += $"account={account}/" + (region is null ? "" : $"region={region}/");
        }

        var objects = new List<(string, long)>();
        long total = 0;
        var request = new ListObjectsV2Request { BucketName = _location.Bucket, Prefix = prefix };
        do
        {
            var response = await _client.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in response.S3Objects ?? [])
            {
                if (item.Key.EndsWith(".parquet", StringComparison.Ordinal) && InRange(item.Key, range, region))
                {
                    objects.Add((item.Key, item.Size ?? 0));
                    total += item.Size ?? 0;
                    if (total > _options.MaxBytes)
                    {
                        throw TooLarge(total);
                    }
                }
            }
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (request.ContinuationToken is { Length: > 0 });
        return objects;
    }

    /// <summary>Whether the key's Hive partition (<c>region=</c>, <c>dt=</c>, <c>hour=</c>) can hold events of the range.</summary>
    private static bool InRange(string key, ArchiveRange range, string? region)
    {
        string? day = null, hour = null, keyRegion = null;
        foreach (var segment in key.Split('/'))
        {
            var equals = segment.IndexOf('=', StringComparison.Ordinal);
            switch (equals > 0 ? segment[..equals] : "")
            {
                case "region":
                    keyRegion = segment[(equals + 1)..];
                    break;
                case "dt":
                    day = segment[(equals + 1)..];
                    break;
                case "hour":
                    hour = segment[(equals + 1)..];
                    break;
            }
        }
        if (region is not null && keyRegion != region)
        {
            return false;
        }
        if (!DateTimeOffset.TryParseExact($"{day} {hour}", "yyyy-MM-dd HH", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start))
        {
            // Not a partition the archiver writes: read it rather than miss events.
            return true;
        }
        return (range.To is not { } to || start < to) && (range.From is not { } from || start.AddHours(1) > from);
    }

    private static string? PartitionValue(string? value) =>
        value is { Length: > 0 and <= 128 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? value : null;

    private async Task<long> FetchAsync(IReadOnlyList<(string Key, long Size)> objects, string folder, CancellationToken cancellationToken)
    {
        long fetched = 0;
        for (var i = 0; i < objects.Count; i++)
        {
            using var response = await _client.GetObjectAsync(_location.Bucket, objects[i].Key, cancellationToken);
            await using var file = File.Create(Path.Combine(folder, $"part-{i:D6}.parquet"));
            await response.ResponseStream.CopyToAsync(file, cancellationToken);
            fetched += file.Length;
            if (fetched > _options.MaxBytes)
            {
                // An object grew between the listing and the fetch.
                throw TooLarge(fetched);
            }
        }
        return fetched;
    }

    private QueryRunException TooLarge(long bytes) => new(QueryRunStatus.Failed,
        $"the archive partitions the query reads hold at least {bytes} bytes, more than the {_options.MaxBytes} a query may fetch " +
        $"({ArchiveQueryOptions.Section}:MaxBytes): narrow it by eventTime (or dt), account or region");

    /// <summary>Runs the statements over the fetched files: the scope, then the query under the row limit.</summary>
    private void Query(QueryRunRequest request, string folder, int files, long fetched, Action<long, long> scanned, Action<string?[]> add,
        CancellationToken cancellationToken)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        // Past the memory limit DuckDB spills into the query's folder, removed with it.
        Execute(connection, string.Create(CultureInfo.InvariantCulture,
            $"SET threads = 1; SET memory_limit = '{_options.MemoryLimitMb}MB'; SET temp_directory = '{Quoted(Path.Combine(folder, "spill"))}'"), [], cancellationToken);
        // The folder is the query's own (no text of the query); with no file, a view of no rows.
        Execute(connection, files == 0
            ? $"CREATE VIEW {SqlDialect.ArchiveEvents} AS SELECT CAST(NULL AS TIMESTAMP) AS event_time, CAST(NULL AS VARCHAR) AS record WHERE false"
            : $"CREATE VIEW {SqlDialect.ArchiveEvents} AS SELECT event_time, record FROM read_parquet('{Quoted(Path.Combine(folder, "*.parquet"))}')",
            [], cancellationToken);
        if (request.Scope is { } scope)
        {
            Execute(connection, scope.Text, scope.Parameters, cancellationToken, row => scanned(Convert.ToInt64(row[0], CultureInfo.InvariantCulture), fetched));
        }
        var statement = request.Statement;
        Execute(connection, $"SELECT * FROM ({statement.Text}) AS query LIMIT ${statement.Parameters.Count + 1}",
            [.. statement.Parameters, (long)request.RowLimit], cancellationToken,
            row => add([.. row.Select(value => value is null ? null : QueryRuns.Format(value))]));
    }

    private static string Quoted(string path) => path.Replace("'", "''", StringComparison.Ordinal);

    private static void Execute(
        DuckDBConnection connection, string text, IEnumerable<object?> parameters, CancellationToken cancellationToken, Action<object?[]>? read = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = text;
        foreach (var value in parameters)
        {
            // Lists travel as DuckDB lists (a store's selector values).
            command.Parameters.Add(new DuckDBParameter(value is string[] list ? list.ToList() : value ?? DBNull.Value));
        }
        using var interrupt = cancellationToken.Register(command.Cancel);
        cancellationToken.ThrowIfCancellationRequested();
        if (read is null)
        {
            command.ExecuteNonQuery();
            return;
        }
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            read(row);
        }
    }

    private sealed class Source(ArchiveQueries archive, ArchiveRange range) : IQueryRunSource
    {
        public async Task RunAsync(
            QueryRunRequest request, DateTimeOffset deadline, Action<long, long> scanned, Action<string?[]> add, CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, (deadline - DateTimeOffset.UtcNow).TotalMilliseconds)));
            var folder = Directory.CreateTempSubdirectory("platform-archive-query-");
            try
            {
                var objects = await archive.ObjectsAsync(range, timeout.Token);
                var fetched = await archive.FetchAsync(objects, folder.FullName, timeout.Token);
                await Task.Run(() => archive.Query(request, folder.FullName, objects.Count, fetched, scanned, add, timeout.Token), timeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or DuckDBException && timeout.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new QueryRunException(QueryRunStatus.Timeout, $"the query ran longer than the limit of {archive._runs.StatementTimeout}");
            }
            catch (DuckDBException ex)
            {
                throw new QueryRunException(QueryRunStatus.Failed, ex.Message);
            }
            finally
            {
                folder.Delete(recursive: true);
            }
        }
    }
}
