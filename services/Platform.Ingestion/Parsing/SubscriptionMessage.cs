namespace Platform.Ingestion.Parsing;

/// <summary>The envelope of a CloudWatch Logs subscription message, shared by its log events.</summary>
public sealed record SubscriptionMessage(
    string MessageType,
    string? Owner,
    string? LogGroup,
    string? LogStream,
    IReadOnlyList<string> SubscriptionFilters,
    string? PolicyLevel);
