namespace Platform.Detection.Rules;

/// <summary>A rule that could not be loaded: which, where, and why. Listed by <c>GET /v1/rules/errors</c>.</summary>
public sealed record RuleLoadError(RuleOrigin Origin, string Source, string? RuleId, string? RuleTitle, int Line, int Column, string Reason);
