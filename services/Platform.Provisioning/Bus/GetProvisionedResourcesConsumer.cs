using MassTransit;

namespace Platform.Provisioning.Bus;

/// <summary>Answers a service catching up on start with the current resources of a kind, from the read model.</summary>
public sealed class GetProvisionedResourcesConsumer(ResourceStore store) : IConsumer<GetProvisionedResources>
{
    public async Task Consume(ConsumeContext<GetProvisionedResources> context)
    {
        var rows = await store.ListAsync(context.Message.Kind, context.CancellationToken);
        await context.RespondAsync(new ProvisionedResources(
            context.Message.Kind,
            rows.ConvertAll(r =>
            {
                using var spec = JsonDocument.Parse(r.Spec);
                return new ProvisionedResource(r.Name, r.Version, spec.RootElement.Clone());
            })));
    }
}
