namespace Platform.Detection;

/// <summary>The detection service's database: its event streams and read models.</summary>
public sealed class DetectionDbContext(DbContextOptions<DetectionDbContext> options) : EventStoreDbContext(options)
{
    public DbSet<FindingRecord> Findings => Set<FindingRecord>();

    public DbSet<RetroHunts.RetroHuntRecord> RetroHunts => Set<RetroHunts.RetroHuntRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<FindingRecord>(e =>
        {
            e.ToTable("findings");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Status).HasConversion<string>();
            e.Property(x => x.Disposition).HasConversion(d => d.ToString().ToLowerInvariant(), s => Enum.Parse<FindingDisposition>(s, true));
            e.Property(x => x.State).HasColumnType("jsonb");
        });
        modelBuilder.Entity<RetroHunts.RetroHuntRecord>(e =>
        {
            e.ToTable("retro_hunts");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Status).HasConversion<string>();
        });
        Insights.InsightModel.Configure(modelBuilder);
        base.OnModelCreating(modelBuilder);
    }
}
