using Microsoft.EntityFrameworkCore;
using Platform.EventSourcing.Storage;

namespace Platform.Compliance;

/// <summary>The compliance service's database: its event streams and read models.</summary>
public sealed class ComplianceDbContext(DbContextOptions<ComplianceDbContext> options) : EventStoreDbContext(options);
