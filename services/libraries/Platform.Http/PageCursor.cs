using System.Buffers.Text;

namespace Platform.Http;

/// <summary>Opaque keyset cursors: base64url of the last item's sort key.</summary>
public static class PageCursor
{
    public static string Encode(DateTimeOffset time, string id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{time.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{id}"));

    public static string Encode(long id) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes("q|" + id.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string cursor, out DateTimeOffset time, out string id)
    {
        time = default;
        id = "";
        if (!TryText(cursor, out var text))
        {
            return false;
        }
        var bar = text.IndexOf('|', StringComparison.Ordinal);
        if (bar <= 0 || !long.TryParse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }
        time = new DateTimeOffset(ticks, TimeSpan.Zero);
        id = text[(bar + 1)..];
        return id.Length > 0;
    }

    public static string Encode(DateTimeOffset time, Guid id) => Encode(time, id.ToString("N"));

    /// <summary>A cursor of a list keyed by time and a GUID (<see cref="Encode(DateTimeOffset, Guid)"/>).</summary>
    public static bool TryDecodeGuid(string cursor, out DateTimeOffset time, out Guid id)
    {
        id = default;
        return TryDecode(cursor, out time, out string text) && Guid.TryParseExact(text, "N", out id);
    }

    /// <summary>The answer to a cursor that does not decode.</summary>
    public static ValidationProblem Invalid() => ProblemDetailsExtensions.FieldProblem("cursor", "is not a cursor this API returned");

    public static bool TryDecode(string cursor, out long id)
    {
        id = 0;
        return TryText(cursor, out var text) && text.StartsWith("q|", StringComparison.Ordinal)
               && long.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }

    private static bool TryText(string cursor, out string text)
    {
        text = "";
        if (cursor.Length > 2048)
        {
            return false;
        }
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
