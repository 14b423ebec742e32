using Platform.Archiver.Api;
using Platform.Archiver.Extensions;

PlatformService.Run(args, bus => bus.AddArchiverConsumers(), builder => builder.AddArchiverServices(), app => app.MapArchiveApi());
