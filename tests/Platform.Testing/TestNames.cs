namespace Platform.Testing;

/// <summary>Names tests give what they create on shared hosts, so tests that share a service never see each other's.</summary>
public static class TestNames
{
    /// <summary><paramref name="prefix"/>, a dash and 12 random hex digits.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}
