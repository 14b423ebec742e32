using Microsoft.EntityFrameworkCore;
using Platform.EventSourcing.Storage;

namespace Platform.Provisioning;

/// <summary>The provisioning service's database: its event streams and read models.</summary>
public sealed class ProvisioningDbContext(DbContextOptions<ProvisioningDbContext> options) : EventStoreDbContext(options);
