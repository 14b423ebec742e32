using Platform.Archiver.Api;
using Platform.Archiver.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus => bus.AddArchiverConsumers());
builder.AddArchiverServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapArchiveApi();

app.Run();
