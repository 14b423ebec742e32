using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Platform.Detection.Tests;

/// <summary>
/// <c>platform.detection.events.evaluated</c> counts a batch once in effect, as its findings count it: an attempt
/// that failed and was rolled back counts nothing, and a redelivery of a committed batch counts nothing.
/// </summary>
public sealed class Counting_evaluated_events
{
    [Fact]
    public async Task A_batch_retried_after_a_failure_and_delivered_again_counts_its_events_once()
    {
        await using var detection = await OwnDetection.StartAsync("evaluated");
        var (connectionString, consumed, bus) = (detection.ConnectionString, detection.Consumed, detection.Bus);
        using var evaluated = new EvaluatedEvents(detection.Host.Services.GetRequiredService<IMeterFactory>());
        // The batch's first attempt fails at its last statement before the commit (the rule counters), after
        // everything else was done; the consumer's retry then succeeds.
        await ExecuteAsync(connectionString,
            """
            CREATE SEQUENCE attempts;
            CREATE FUNCTION fail_first_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF nextval('attempts') = 1 THEN
                    RAISE EXCEPTION 'the first attempt fails' USING ERRCODE = 'serialization_failure';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER fail_first_attempt BEFORE INSERT ON rule_match_counts FOR EACH ROW EXECUTE FUNCTION fail_first_attempt();
            """);
        var principal = CloudTrail.UniqueArn("counted");
        var record = CloudTrail.Records("aws.persistence.iam-create-admin-user.json", "CreateAccessKey")[0];
        var batch = CloudTrail.Batch([CloudTrail.Variant(record, principal), CloudTrail.Variant(record, principal), CloudTrail.Variant(record, principal)]);
        var messageId = Guid.NewGuid();

        await bus.PublishAsync(batch, messageId);
        await Eventually.ObserveAsync(() => Task.FromResult(consumed.CountOf(messageId)), n => n >= 1);
        await bus.PublishAsync(batch, messageId);
        await Eventually.ObserveAsync(() => Task.FromResult(consumed.CountOf(messageId)), n => n >= 2);

        Assert.True(await ExecuteAsync(connectionString, "SELECT last_value FROM attempts") >= 2, "the first attempt failed and was retried");
        Assert.Equal(batch.Events.Count, evaluated.Total);
    }

    private static async Task<long> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() is long value ? value : 0;
    }

    /// <summary>The sum of <c>platform.detection.events.evaluated</c> on the meters of one host.</summary>
    private sealed class EvaluatedEvents : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public EvaluatedEvents(IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Meter.Name == DetectionTelemetry.Name
                    && instrument.Name == "platform.detection.events.evaluated")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
