namespace Platform.LogsInsights;

/// <summary>
/// The two pattern forms of <c>parse</c>, turned into Postgres regular expressions whose numbered groups are the
/// extracted fields (Postgres has no named groups).
/// </summary>
internal static class ParseRegexes
{
    /// <summary>
    /// A glob: each <c>*</c> captures the shortest text up to the literal after it; a <c>*</c> at the end takes the
    /// rest of the value. Literal characters are escaped, so the glob is matched as written.
    /// </summary>
    public static string FromGlob(string glob)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*')
            {
                regex.Append(i == glob.Length - 1 ? "(.*)$" : "(.*?)");
            }
            else if (char.IsAsciiLetterOrDigit(c) || c > 127)
            {
                regex.Append(c);
            }
            else
            {
                regex.Append('\\').Append(c);
            }
        }
        return glob[0] == '*' ? "^" + regex : regex.ToString();
    }

    /// <summary>
    /// <c>(?&lt;name&gt;...)</c> groups become plain groups and other capturing groups non-capturing, so group k of
    /// the result is the k-th name.
    /// </summary>
    public static (string Pattern, IReadOnlyList<string> Names) NamedGroups(string regex, Func<string, Exception> error)
    {
        var pattern = new StringBuilder(regex.Length);
        var names = new List<string>();
        var inClass = false;
        for (var i = 0; i < regex.Length; i++)
        {
            var c = regex[i];
            if (c == '\\' && i + 1 < regex.Length)
            {
                pattern.Append(c).Append(regex[++i]);
                continue;
            }
            if (inClass)
            {
                inClass = c != ']';
                pattern.Append(c);
                continue;
            }
            if (c == '[')
            {
                inClass = true;
                pattern.Append(c);
                if (i + 1 < regex.Length && regex[i + 1] == '^')
                {
                    pattern.Append(regex[++i]);
                }
                if (i + 1 < regex.Length && regex[i + 1] == ']')
                {
                    pattern.Append(regex[++i]);
                }
                continue;
            }
            if (c == '(' && i + 2 < regex.Length && regex[i + 1] == '?' && regex[i + 2] is '<' or 'P'
                && !(regex[i + 2] == '<' && i + 3 < regex.Length && regex[i + 3] is '=' or '!'))
            {
                var nameStart = regex[i + 2] == 'P' ? i + 4 : i + 3;
                var end = regex.IndexOf('>', nameStart);
                var name = end < 0 ? "" : regex[nameStart..end];
                if (name.Length == 0 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_') || char.IsAsciiDigit(name[0]))
                {
                    throw error("a named group is (?<name>...) with a name of letters, digits and '_'");
                }
                if (names.Contains(name, StringComparer.Ordinal))
                {
                    throw error($"the group name '{name}' is used twice");
                }
                names.Add(name);
                pattern.Append('(');
                i = end;
                continue;
            }
            if (c == '(' && !(i + 1 < regex.Length && regex[i + 1] == '?'))
            {
                pattern.Append("(?:");
                continue;
            }
            pattern.Append(c);
        }
        return (pattern.ToString(), names);
    }
}
