namespace Platform.Benchmarks;

/// <summary>The load drivers' <c>--name value</c> options.</summary>
internal static class DriverArguments
{
    public static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
