namespace Platform.Console.Charts;

/// <summary>One line of a chart: its label and its points, oldest first.</summary>
public sealed record ChartSeries(string Label, IReadOnlyList<ChartPoint> Points);

/// <summary>A value at a time.</summary>
public sealed record ChartPoint(DateTimeOffset At, double Value);

/// <summary>
/// A time-series chart drawn on the server as SVG (no chart library, no script): lines over <see cref="Start"/> to
/// <see cref="End"/>, each point a circle with its time and value as its title, and the same numbers as a table for
/// screen readers and keyboards. <see cref="X"/> and <see cref="Y"/> map times and values to the drawing.
/// </summary>
public sealed record TimeSeries(string Title, IReadOnlyList<ChartSeries> Series, DateTimeOffset Start, DateTimeOffset End)
{
    public const int Width = 600;
    public const int Height = 200;
    public const int Left = 48;
    public const int Bottom = 24;
    public const int Top = 8;
    public const int Right = 8;

    public bool IsEmpty => Series.All(s => s.Points.Count == 0);

    public double Max => Math.Max(1, Series.SelectMany(s => s.Points).Select(p => p.Value).DefaultIfEmpty(0).Max());

    public double X(DateTimeOffset at)
    {
        var span = Math.Max(1, (End - Start).TotalSeconds);
        return Left + (Width - Left - Right) * Math.Clamp((at - Start).TotalSeconds / span, 0, 1);
    }

    public double Y(double value) => Top + (Height - Top - Bottom) * (1 - value / Max);

    /// <summary>SVG numbers, invariant and short.</summary>
    public static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Value(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
}
