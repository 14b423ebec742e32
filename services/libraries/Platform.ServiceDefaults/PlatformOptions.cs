using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Platform.ServiceDefaults;

/// <summary>The one way a service reads its settings.</summary>
public static class PlatformOptions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> from <paramref name="section"/>, checks its data annotations when the host starts
    /// (a bad setting stops the service at once, naming it, instead of failing on first use), and registers the bound
    /// value itself, so classes take <typeparamref name="T"/> rather than <c>IOptions&lt;T&gt;</c>.
    /// </summary>
    public static OptionsBuilder<T> AddPlatformOptions<T>(this IHostApplicationBuilder builder, string section)
        where T : class
    {
        var options = builder.Services.AddOptions<T>()
            .BindConfiguration(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return options;
    }
}

/// <summary>An interval setting: from one second to a year, the range every period, window and delay setting allows.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class IntervalAttribute() : System.ComponentModel.DataAnnotations.RangeAttribute(typeof(TimeSpan), "00:00:01", "365.00:00:00");
