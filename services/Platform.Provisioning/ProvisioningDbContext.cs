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
            e.Property(x => x.Kind).HasColumnName("kind");
            e.Property(x => x.Name).HasColumnName("name");
            e.Property(x => x.Version).HasColumnName("version");
            e.Property(x => x.Spec).HasColumnName("spec").HasColumnType("jsonb");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.CreatedBy).HasColumnName("created_by");
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
            e.Property(x => x.UpdatedBy).HasColumnName("updated_by");
        });
        base.OnModelCreating(modelBuilder);
    }
}
