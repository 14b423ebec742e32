namespace Platform.Alerting;

/// <summary>The alerting service's database: its event streams and read models.</summary>
public sealed class AlertingDbContext(DbContextOptions<AlertingDbContext> options) : EventStoreDbContext(options)
{
    public DbSet<Alarms.AlarmRecord> Alarms => Set<Alarms.AlarmRecord>();

    /// <summary>Each read model maps itself (an <see cref="IEntityTypeConfiguration{TEntity}"/> beside it).</summary>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AlertingDbContext).Assembly);
        base.OnModelCreating(modelBuilder);
    }
}
