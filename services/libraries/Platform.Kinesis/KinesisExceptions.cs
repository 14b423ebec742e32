using System.Net;

namespace Platform.Kinesis;

/// <summary>An error answered by Kinesis; <see cref="ErrorType"/> is its <c>__type</c> without the namespace.</summary>
public class KinesisException(string errorType, string message, HttpStatusCode statusCode)
    : Exception($"{errorType}: {message}")
{
    public string ErrorType { get; } = errorType;

    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The typed exception for an error answer.</summary>
    public static KinesisException From(string? type, string? message, HttpStatusCode statusCode)
    {
        var errorType = type is null ? $"Http{(int)statusCode}" : type[(type.LastIndexOf('#') + 1)..];
        var text = message ?? "(no message)";
        return errorType switch
        {
            "ProvisionedThroughputExceededException" => new KinesisThroughputExceededException(text, statusCode),
            "ExpiredIteratorException" => new KinesisExpiredIteratorException(text, statusCode),
            "ResourceNotFoundException" => new KinesisResourceNotFoundException(text, statusCode),
            "ResourceInUseException" => new KinesisResourceInUseException(text, statusCode),
            "LimitExceededException" => new KinesisLimitExceededException(text, statusCode),
            "InvalidArgumentException" => new KinesisInvalidArgumentException(text, statusCode),
            _ => new KinesisException(errorType, text, statusCode),
        };
    }
}

/// <summary>The shard's read or write throughput was exceeded: back off and retry.</summary>
public sealed class KinesisThroughputExceededException(string message, HttpStatusCode statusCode)
    : KinesisException("ProvisionedThroughputExceededException", message, statusCode);

/// <summary>A shard iterator older than five minutes: get a new one from the last checkpoint.</summary>
public sealed class KinesisExpiredIteratorException(string message, HttpStatusCode statusCode)
    : KinesisException("ExpiredIteratorException", message, statusCode);

public sealed class KinesisResourceNotFoundException(string message, HttpStatusCode statusCode)
    : KinesisException("ResourceNotFoundException", message, statusCode);

/// <summary>The stream is being created, updated or deleted.</summary>
public sealed class KinesisResourceInUseException(string message, HttpStatusCode statusCode)
    : KinesisException("ResourceInUseException", message, statusCode);

/// <summary>Too many control-plane calls (ListShards, DescribeStreamSummary): back off and retry.</summary>
public sealed class KinesisLimitExceededException(string message, HttpStatusCode statusCode)
    : KinesisException("LimitExceededException", message, statusCode);

public sealed class KinesisInvalidArgumentException(string message, HttpStatusCode statusCode)
    : KinesisException("InvalidArgumentException", message, statusCode);
