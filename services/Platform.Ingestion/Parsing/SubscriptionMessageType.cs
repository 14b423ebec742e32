namespace Platform.Ingestion.Parsing;

/// <summary>The <c>messageType</c> of a CloudWatch Logs subscription message.</summary>
public static class SubscriptionMessageType
{
    public const string Data = "DATA_MESSAGE";
    public const string Control = "CONTROL_MESSAGE";
}
