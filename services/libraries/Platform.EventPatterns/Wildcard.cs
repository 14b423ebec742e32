namespace Platform.EventPatterns;

/// <summary>
/// An EventBridge wildcard: <c>*</c> stands for any run of characters, <c>\*</c> for a star and <c>\\</c> for a
/// backslash. Matched without backtracking: the literal runs between stars are found left to right, each at its first
/// occurrence after the previous (which is always a correct choice when stars are the only operator), with a
/// Knuth-Morris-Pratt search, so a match takes time linear in the text and the pattern.
/// </summary>
internal sealed class Wildcard
{
    private readonly string[] _segments;
    private readonly int[][] _failures;
    private readonly bool _anchoredStart;
    private readonly bool _anchoredEnd;

    private Wildcard(List<string> segments, bool anchoredStart, bool anchoredEnd)
    {
        _segments = [.. segments];
        _failures = [.. segments.Select(Failure)];
        _anchoredStart = anchoredStart;
        _anchoredEnd = anchoredEnd;
    }

    /// <summary>The wildcard <paramref name="text"/> stands for, or null with why EventBridge refuses it.</summary>
    public static Wildcard? TryParse(string text, out string? reason)
    {
        reason = null;
        var segments = new List<string>();
        var current = new System.Text.StringBuilder();
        var startsWithStar = text.StartsWith('*');
        var previousWasStar = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '*')
            {
                if (previousWasStar)
                {
                    reason = $"'{text}' has consecutive wildcard characters at character {i + 1}: EventBridge does not allow them";
                    return null;
                }
                if (i > 0)
                {
                    segments.Add(current.ToString());
                    current.Clear();
                }
                previousWasStar = true;
                continue;
            }
            previousWasStar = false;
            if (c == '\\')
            {
                if (i + 1 >= text.Length || text[i + 1] is not ('*' or '\\'))
                {
                    reason = $"'{text}' has a backslash at character {i + 1} that escapes neither '*' nor '\\'";
                    return null;
                }
                c = text[++i];
            }
            current.Append(c);
        }
        var endsWithStar = previousWasStar;
        if (!endsWithStar)
        {
            segments.Add(current.ToString());
        }
        return new Wildcard(segments, !startsWithStar, !endsWithStar);
    }

    public bool IsMatch(string text)
    {
        if (_segments.Length == 0)
        {
            // Only a star: anything.
            return true;
        }
        var first = 0;
        var last = _segments.Length - 1;
        var start = 0;
        var end = text.Length;
        if (_anchoredStart)
        {
            if (!text.StartsWith(_segments[0], StringComparison.Ordinal))
            {
                return false;
            }
            start = _segments[0].Length;
            first = 1;
        }
        if (_anchoredEnd)
        {
            if (first > last)
            {
                // No star at all: the whole text.
                return start == text.Length;
            }
            if (end - start < _segments[last].Length || !text.EndsWith(_segments[last], StringComparison.Ordinal))
            {
                return false;
            }
            end -= _segments[last].Length;
            last--;
        }
        for (var s = first; s <= last; s++)
        {
            var found = IndexOf(text.AsSpan(start, end - start), _segments[s], _failures[s]);
            if (found < 0)
            {
                return false;
            }
            start += found + _segments[s].Length;
        }
        return true;
    }

    /// <summary>Knuth-Morris-Pratt: the first occurrence of <paramref name="needle"/>, in time linear in the haystack.</summary>
    private static int IndexOf(ReadOnlySpan<char> haystack, string needle, int[] failure)
    {
        if (needle.Length == 0)
        {
            return 0;
        }
        var matched = 0;
        for (var i = 0; i < haystack.Length; i++)
        {
            while (matched > 0 && haystack[i] != needle[matched])
            {
                matched = failure[matched - 1];
            }
            if (haystack[i] == needle[matched] && ++matched == needle.Length)
            {
                return i - needle.Length + 1;
            }
        }
        return -1;
    }

    private static int[] Failure(string needle)
    {
        var failure = new int[needle.Length];
        var k = 0;
        for (var i = 1; i < needle.Length; i++)
        {
            while (k > 0 && needle[i] != needle[k])
            {
                k = failure[k - 1];
            }
            if (needle[i] == needle[k])
            {
                k++;
            }
            failure[i] = k;
        }
        return failure;
    }
}
