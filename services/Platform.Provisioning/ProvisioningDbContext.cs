namespace Platform.Provisioning;

/// <summary>The provisioning service's database: its event streams and read models.</summary>
public sealed class ProvisioningDbContext(DbContextOptions<ProvisioningDbContext> options) : EventStoreDbContext(options)
{
    public DbSet<ResourceRow> Resources => Set<ResourceRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ResourceRow>(e =>
        {
            e.ToTable("resources");
            e.HasKey(x => new { x.Kind, x.Name });
            e.Property(x => x.Spec).HasColumnType("jsonb");
        });
        base.OnModelCreating(modelBuilder);
    }
}
