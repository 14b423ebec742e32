using Platform.Ingestion.Extensions;

PlatformService.Run(args, bus => bus.AddIngestionConsumers(), builder => builder.AddIngestionServices(), app => app.MapIngestionApi());
