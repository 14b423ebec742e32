using Microsoft.EntityFrameworkCore;
using Platform.EventSourcing.Storage;

namespace Platform.Detection;

/// <summary>The detection service's database: its event streams and read models.</summary>
public sealed class DetectionDbContext(DbContextOptions<DetectionDbContext> options) : EventStoreDbContext(options);
