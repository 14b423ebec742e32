using Microsoft.EntityFrameworkCore;
using Platform.EventSourcing.Storage;

namespace Platform.Alerting;

/// <summary>The alerting service's database: its event streams and read models.</summary>
public sealed class AlertingDbContext(DbContextOptions<AlertingDbContext> options) : EventStoreDbContext(options);
