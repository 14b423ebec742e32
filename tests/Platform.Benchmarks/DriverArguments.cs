namespace Platform.Benchmarks;

/// <summary>The load drivers' <c>--name value</c> options.</summary>
internal static class DriverArguments
{
    public static int Option(string[] args, string name, int fallback) =>
        Option(args, name, (string?)null) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public static string? Option(string[] args, string name, string? fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
