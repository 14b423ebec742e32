using Platform.Archiver.Integrity;

namespace Platform.Archiver.Api;

/// <summary>The validation range: archive files and digests written from <see cref="From"/> to <see cref="To"/>.</summary>
public sealed record ValidateRequest(DateTimeOffset? From, DateTimeOffset? To);

/// <summary>The digests' public key.</summary>
public sealed record PublicKeyView(string Algorithm, string PublicKeyPem, string Fingerprint);

/// <summary>
/// The archive: its status, closing the open files at once, the digests' public key, validation of a range, and the
/// Athena DDL.
/// </summary>
public static class ArchiveApi
{
    public static RouteGroupBuilder MapArchiveApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/archive").WithTags("Archive");
        group.MapPost("/flush", FlushAsync).RequireAuthorization(PlatformPolicies.Administer)
            .WithOperation("FlushArchive", "Close every open archive file now, and sign a digest of what was written",
                "Answers what the pass wrote: files, events and the digest's key.");
        group.MapGet("/status", (ArchiveStatus status, CancellationToken ct) => status.GetAsync(ct)).RequireAuthorization(PlatformPolicies.Read)
            .WithOperation("GetArchiveStatus", "The archive lag, the events waiting and the last file written");
        group.MapGet("/public-key", PublicKeyAsync).RequireAuthorization(PlatformPolicies.Read)
            .WithOperation("GetArchivePublicKey", "The RSA public key the digests are signed with (PEM), to validate the archive without the platform");
        group.MapPost("/validate", ValidateAsync).RequireAuthorization(PlatformPolicies.Read)
            .WithOperation("ValidateArchive", "Walk the digest chain over a range and check every archive file",
                "Body: {\"from\", \"to\"} (when written). Each digest is valid, modified (its signature fails), deleted (the next names it) " +
                "or missingFromChain (its previous digest is not the one it chains to); each file is valid, modified (SHA-256 differs), " +
                "deleted, missingFromChain (no intact digest lists it) or notYetDigested.")
            .Accepts<ValidateRequest>("application/json")
            .ProducesValidationProblem();
        group.MapGet("/athena-ddl", AthenaDdl).RequireAuthorization(PlatformPolicies.Read)
            .WithOperation("GetArchiveAthenaDdl", "CREATE EXTERNAL TABLE statements for the archive (CloudTrail, VPC flow logs) with partition projection",
                "Plain text, ready to paste into Athena.");
        return group;
    }

    private static async Task<IResult> FlushAsync(ArchiveWriter writer, CancellationToken cancellationToken) =>
        await writer.RunAsync(flush: true, cancellationToken) is { } pass
            ? TypedResults.Ok(pass)
            : TypedResults.Problem("Another archiver instance is running a pass; try again.", statusCode: StatusCodes.Status503ServiceUnavailable);

    private static async Task<PublicKeyView> PublicKeyAsync(SigningKey key, CancellationToken cancellationToken)
    {
        var (pem, fingerprint) = await key.PublicKeyAsync(cancellationToken);
        return new PublicKeyView(SigningKey.Algorithm, pem, fingerprint);
    }

    private static async Task<IResult> ValidateAsync(HttpContext http, ArchiveValidator validator, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<ValidateRequest>(http, JsonBody.RequestOptions, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }
        var errors = new ValidationErrors();
        if (body.Value?.From is not { } from)
        {
            errors.Add("from", "is required (when written, inclusive)");
        }
        if (body.Value?.To is not { } to)
        {
            errors.Add("to", "is required (when written, inclusive)");
        }
        else if (body.Value.From is { } start && start > to)
        {
            errors.Add("from", "must not be after to");
        }
        if (errors.HasErrors)
        {
            return errors.ToProblem();
        }
        return TypedResults.Ok(await validator.ValidateAsync(body.Value!.From!.Value, body.Value.To!.Value, cancellationToken));
    }

    private static IResult AthenaDdl(ArchiveLayout layout, ArchiveBucket bucket) =>
        TypedResults.Text(Api.AthenaDdl.For(layout, bucket.Name), "text/plain");
}
