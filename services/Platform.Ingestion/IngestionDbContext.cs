using Microsoft.EntityFrameworkCore;
using Platform.EventSourcing.Storage;

namespace Platform.Ingestion;

/// <summary>The ingestion service's database: its event streams and read models.</summary>
public sealed class IngestionDbContext(DbContextOptions<IngestionDbContext> options) : EventStoreDbContext(options);
