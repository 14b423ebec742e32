using Platform.Ingestion.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus => bus.AddIngestionConsumers());
builder.AddIngestionServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapIngestionApi();

app.Run();
