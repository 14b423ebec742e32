namespace Platform.LogsInsights;

/// <summary>
/// Why a query was refused and where, so the analyst finds the mistake without guessing: the 1-based line and column
/// (and the 0-based offset) the parser or compiler stopped at, and what it expected there.
/// </summary>
public sealed class InsightsSyntaxException(int offset, int line, int column, string reason)
    : Exception($"line {line}, column {column}: {reason}")
{
    public int Offset { get; } = offset;

    public int Line { get; } = line;

    public int Column { get; } = column;

    public string Reason { get; } = reason;

    internal static InsightsSyntaxException At(string text, int offset, string reason)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return new InsightsSyntaxException(offset, line, offset - lineStart + 1, reason);
    }
}
