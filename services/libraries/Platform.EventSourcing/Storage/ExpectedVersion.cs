namespace Platform.EventSourcing.Storage;

public static class ExpectedVersion
{
    /// <summary>The stream must not exist yet (versions start at 1).</summary>
    public const long NoStream = 0;

    /// <summary>Append whatever the stream's version (no concurrency check).</summary>
    public const long Any = -1;
}
