using System.Reflection;

namespace Platform.Database;

/// <summary>One forward-only schema change, applied once per database, in the order given.</summary>
public sealed record MigrationScript(string Id, string Sql)
{
    /// <summary>
    /// Every embedded <c>*.sql</c> resource of the assembly, ordered by file name, each with the id
    /// <c>{scope}/{file name}</c>. File names start with a sequence number (<c>0001_...</c>).
    /// </summary>
    public static IReadOnlyList<MigrationScript> FromAssembly(Assembly assembly, string scope) =>
        assembly.GetManifestResourceNames()
            .Where(name => name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                var fileName = name[..^".sql".Length];
                fileName = fileName[(fileName.LastIndexOf('.') + 1)..];
                return new MigrationScript($"{scope}/{fileName}", reader.ReadToEnd());
            })
            .OrderBy(script => script.Id, StringComparer.Ordinal)
            .ToArray();
}
