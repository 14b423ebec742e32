using System.Net;

namespace Platform.Kinesis;

/// <summary>
/// An error answered by Kinesis; <see cref="ErrorType"/> is its <c>__type</c> without the namespace, one of
/// <see cref="KinesisErrors"/> for the errors callers act on (<c>catch (KinesisException e) when (e.ErrorType == ...)</c>).
/// </summary>
public sealed class KinesisException(string errorType, string message, HttpStatusCode statusCode)
    : Exception($"{errorType}: {message}")
{
    public string ErrorType { get; } = errorType;

    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The exception for an error answer.</summary>
    public static KinesisException From(string? type, string? message, HttpStatusCode statusCode) =>
        new(type is null ? $"Http{(int)statusCode}" : type[(type.LastIndexOf('#') + 1)..], message ?? "(no message)", statusCode);
}

/// <summary>The Kinesis error types callers act on.</summary>
public static class KinesisErrors
{
    /// <summary>The shard's read or write throughput was exceeded: back off and retry.</summary>
    public const string ThroughputExceeded = "ProvisionedThroughputExceededException";

    /// <summary>A shard iterator older than five minutes: get a new one from the last checkpoint.</summary>
    public const string ExpiredIterator = "ExpiredIteratorException";

    public const string ResourceNotFound = "ResourceNotFoundException";

    /// <summary>The stream is being created, updated or deleted.</summary>
    public const string ResourceInUse = "ResourceInUseException";
}
