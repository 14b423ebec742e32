using MassTransit;
using Platform.Compliance.Api;
using Platform.Compliance.Functions;
using Platform.Compliance.Timeline;
using Platform.ConfigRules;
using Platform.Contracts.Provisioning;
using Platform.Messaging;

namespace Platform.Compliance.Evaluation;

/// <summary>Rule evaluation's part of the compliance service: live rules, the evaluation engine and runs, verdicts, the read API.</summary>
public static class EvaluationExtensions
{
    /// <summary>Configuration changes (competing: one instance judges each); rule and function changes (every instance).</summary>
    public static void AddEvaluationConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ConfigurationItemRecordedConsumer, ConfigurationItemRecordedConsumerDefinition>();
        bus.AddLiveConfigurationConsumer<ConfigRuleChanges, ConfigRuleSpec, ConfigRuleProvisioned, ConfigRuleDeleted>();
        bus.AddFunctionConsumers();
    }

    /// <summary>The evaluation streams' events: each change of compliance type, published as it is.</summary>
    public static EventTypeRegistry RegisterEvaluationEvents(this EventTypeRegistry types) => types.Register<ComplianceChanged>(publish: true);

    public static IHostApplicationBuilder AddEvaluationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformOptions<EvaluationOptions>(EvaluationOptions.Section);
        builder.AddFunctionCalls();
        builder.Services.AddSingleton<IConfigRuleFunctionInvoker, FunctionRuleInvoker>();
        builder.Services.AddSingleton<IConfigRuleCompiler, LibraryConfigRuleCompiler>();
        builder.Services.AddSingleton<LiveConfigRules>();
        builder.Services.AddScoped<ConfigRuleChanges>();
        builder.Services.AddLiveConfiguration<ConfigRuleChanges, ConfigRuleSpec>(ProvisioningKinds.ConfigRules);

        builder.Services.AddSingleton<EvaluationScopes>();
        builder.Services.AddScoped<ComplianceRecorder>();
        builder.Services.AddScoped<RuleEvaluator>();
        builder.Services.AddScoped<ResultTokens>();
        builder.Services.AddSingleton<RuleRunSignal>();
        builder.Services.AddHostedService<RuleRunPass>();
        builder.Services.AddScoped<ITimelineSource, EvaluationTimelineSource>();
        return builder;
    }

    public static IEndpointRouteBuilder MapEvaluationApis(this IEndpointRouteBuilder app)
    {
        app.MapComplianceApi();
        app.MapConfigRuleEvaluationApi();
        app.MapEvaluationsApi();
        return app;
    }
}
