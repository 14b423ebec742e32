namespace Platform.Compliance;

/// <summary>The compliance service's database: its event streams and read models.</summary>
public sealed class ComplianceDbContext(DbContextOptions<ComplianceDbContext> options) : EventStoreDbContext(options)
{
    /// <summary>Each read model maps itself (an <see cref="IEntityTypeConfiguration{TEntity}"/> beside it).</summary>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ComplianceDbContext).Assembly);
        base.OnModelCreating(modelBuilder);
    }
}
