using Platform.Compliance.Configuration;
using Platform.Compliance.Evaluation;
using Platform.Compliance.Extensions;
using Platform.Compliance.Remediation;

PlatformService.Run(args, bus => bus.AddComplianceConsumers(), builder => builder.AddComplianceServices(), app =>
{
    app.MapConfigurationApi();
    app.MapEvaluationApis();
    app.MapRemediationsApi();
});
