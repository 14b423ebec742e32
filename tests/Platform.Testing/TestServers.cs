namespace Platform.Testing;

/// <summary>
/// Where the real servers started by <c>./platform test</c> are. A missing server fails the test:
/// tests never skip themselves.
/// </summary>
public static class TestServers
{
    public const string PostgresVariable = "PLATFORM_TEST_POSTGRES";
    public const string RabbitMqVariable = "PLATFORM_TEST_RABBITMQ";
    public const string KinesisVariable = "PLATFORM_TEST_KINESIS";
    public const string S3Variable = "PLATFORM_TEST_S3";
    public const string SharedDirVariable = "PLATFORM_SHARED_DIR";

    /// <summary>Npgsql connection string of the server's maintenance database, as a superuser.</summary>
    public static string Postgres => Require(PostgresVariable);

    /// <summary>AMQP URI of the broker.</summary>
    public static string RabbitMq => Require(RabbitMqVariable);

    /// <summary>HTTP endpoint of kinesalite.</summary>
    public static Uri Kinesis => new(Require(KinesisVariable));

    /// <summary>HTTP endpoint of s3rver (credentials S3RVER / S3RVER); tests create buckets of their own.</summary>
    public static Uri S3 => new(Require(S3Variable));

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set. Run the tests with ./platform test, which starts Postgres, RabbitMQ and kinesalite and sets it.");
}
