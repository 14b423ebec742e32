namespace Platform.Detection;

/// <summary>The detection service's database: its event streams and read models.</summary>
public sealed class DetectionDbContext(DbContextOptions<DetectionDbContext> options) : EventStoreDbContext(options)
{
    public DbSet<FindingRecord> Findings => Set<FindingRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<FindingRecord>(e =>
        {
            e.ToTable("findings");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.Fingerprint).HasColumnName("fingerprint");
            e.Property(x => x.RuleId).HasColumnName("rule_id");
            e.Property(x => x.Status).HasColumnName("status").HasConversion<string>();
            e.Property(x => x.Severity).HasColumnName("severity");
            e.Property(x => x.Principal).HasColumnName("principal");
            e.Property(x => x.Account).HasColumnName("account");
            e.Property(x => x.FirstSeenAt).HasColumnName("first_seen_at");
            e.Property(x => x.LastSeenAt).HasColumnName("last_seen_at");
            e.Property(x => x.Occurrences).HasColumnName("occurrences");
            e.Property(x => x.Version).HasColumnName("version");
            e.Property(x => x.State).HasColumnName("state").HasColumnType("jsonb");
        });
        base.OnModelCreating(modelBuilder);
    }
}
