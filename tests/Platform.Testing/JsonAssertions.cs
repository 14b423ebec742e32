using System.Text.Json;

namespace Platform.Testing;

/// <summary>Asserting what a JSON answer holds: several string properties at once, so a failure shows every one of them.</summary>
public static class JsonAssertions
{
    /// <summary>Asserts each named string property of <paramref name="element"/> has its value (null for a JSON null).</summary>
    public static void AssertStrings(this JsonElement element, params (string Property, string? Value)[] expected) =>
        Assert.Equal(expected, expected.Select(e => (e.Property, element.GetProperty(e.Property).GetString())).ToArray());
}
