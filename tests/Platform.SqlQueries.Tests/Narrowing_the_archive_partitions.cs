namespace Platform.SqlQueries.Tests;

/// <summary>
/// The archive partitions a query can need, read from its WHERE: only top-level AND terms comparing a partition column
/// with a literal narrow them; anything else (OR, a column on both sides) reads every partition rather than miss rows.
/// </summary>
public sealed class Narrowing_the_archive_partitions
{
    private static readonly DateTimeOffset Retention = Queries.Now.AddDays(-365);

    [Fact]
    public void Event_time_bounds_account_and_region_narrow_a_stores_partitions()
    {
        var range = Queries.CompileWhole("""
            SELECT eventName FROM security-events
            WHERE eventTime >= '2026-01-10 06:00:00' AND '2026-01-10 09:30:00' > eventTime
              AND recipientAccountId = '123456789012' AND awsRegion = 'eu-west-1'
            """).Archive;

        Assert.Equal(new ArchiveRange("cloudtrail", At(2026, 1, 10, 6), At(2026, 1, 10, 9, 30), "123456789012", "eu-west-1"), range);
    }

    [Fact]
    public void An_exact_time_and_a_between_bound_both_ends()
    {
        var exact = Queries.CompileWhole("SELECT eventName FROM security-events WHERE eventTime = '2026-01-10 06:00:00'").Archive;
        var between = Queries.CompileWhole("SELECT eventName FROM security-events WHERE eventTime BETWEEN '2026-01-09' AND '2026-01-10'").Archive;

        Assert.Equal((At(2026, 1, 10, 6), At(2026, 1, 10, 6).AddTicks(1)), (exact.From, exact.To));
        Assert.Equal((At(2026, 1, 9), At(2026, 1, 10).AddTicks(1)), (between.From, between.To));
    }

    [Fact]
    public void A_flow_log_day_bounds_the_days_it_names()
    {
        var range = Queries.CompileWhole("SELECT srcaddr FROM vpc_flow_logs WHERE dt >= '2026/01/03' AND dt <= '2026/01/04' AND action = 'REJECT'").Archive;

        Assert.Equal(new ArchiveRange("vpcflow", At(2026, 1, 3), At(2026, 1, 5), null, null), range);
    }

    [Theory]
    [InlineData("SELECT eventName FROM security-events WHERE eventTime >= '2026-01-10' OR awsRegion = 'eu-west-1'")]
    [InlineData("SELECT eventName FROM security-events WHERE NOT (eventTime < '2026-01-10')")]
    [InlineData("SELECT eventName FROM security-events WHERE awsRegion <> 'eu-west-1' AND recipientAccountId LIKE '1234%'")]
    [InlineData("SELECT eventName FROM security-events WHERE awsRegion = eventSource")]
    public void Anything_else_reads_every_partition_of_the_stores_retention(string query)
    {
        var range = Queries.CompileWhole(query).Archive;

        Assert.Equal(new ArchiveRange("cloudtrail", Retention, null, null, null), range);
    }

    private static DateTimeOffset At(int year, int month, int day, int hour = 0, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);
}
