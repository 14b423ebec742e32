namespace Platform.Archiver.Integrity;

/// <summary>What validation found for one digest or file.</summary>
public static class ValidationStatus
{
    /// <summary>Present and as the chain says.</summary>
    public const string Valid = "valid";

    /// <summary>Present, but not what was written: a file whose SHA-256 differs, a digest whose signature fails.</summary>
    public const string Modified = "modified";

    /// <summary>Listed (a file in a digest, a digest in the next one) but gone from the bucket.</summary>
    public const string Deleted = "deleted";

    /// <summary>A file in the archive that no intact digest lists; a digest whose previous digest's hash does not match.</summary>
    public const string MissingFromChain = "missingFromChain";

    /// <summary>A file written after the last digest: the next digest will list it.</summary>
    public const string NotYetDigested = "notYetDigested";
}

public sealed record ValidatedObject(string Key, string Status, string? Reason = null);

/// <summary>The answer of <c>POST /v1/archive/validate</c>.</summary>
public sealed record ArchiveValidation(
    DateTimeOffset From, DateTimeOffset To, bool Valid, IReadOnlyList<ValidatedObject> Digests, IReadOnlyList<ValidatedObject> Files);

/// <summary>
/// Walks the digest chain over a range from the bucket itself (not the archiver's database: validation is what
/// someone who doubts the database runs): each digest's signature and its link to the previous one, each listed
/// file's SHA-256, and every archive file written in the range that no intact digest lists.
/// </summary>
public sealed class ArchiveValidator(ArchiveBucket bucket, ArchiveLayout layout, SigningKey signingKey)
{
    public async Task<ArchiveValidation> ValidateAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var digestObjects = new SortedDictionary<long, ArchiveObject>();
        await foreach (var item in bucket.ListAsync(layout.DigestPrefix, cancellationToken))
        {
            if (ArchiveLayout.DigestSeq(item.Key) is { } seq)
            {
                digestObjects[seq] = item;
            }
        }

        // Every digest from the one before the range to the newest: a file written in the range may be listed by a later digest.
        var digestResults = new List<ValidatedObject>();
        var listed = new Dictionary<string, DigestFile>(StringComparer.Ordinal);
        var untrusted = new HashSet<string>(StringComparer.Ordinal);
        var readDigests = new Dictionary<long, (Digest Digest, string Sha256)>();
        DateTimeOffset? lastDigestEnd = null;
        foreach (var (seq, item) in digestObjects)
        {
            if (await bucket.GetAsync(item.Key, cancellationToken) is not { } found)
            {
                continue;
            }
            var (content, metadata) = found;
            Digest? digest = null;
            try
            {
                digest = JsonSerializer.Deserialize<Digest>(content, PlatformJson.Options);
            }
            catch (JsonException)
            {
                // Reported as modified below: the signature cannot match either.
            }
            var signed = metadata.TryGetValue(ArchiveBucket.SignatureMetadata, out var signature)
                && TryHex(signature, out var signatureBytes)
                && await signingKey.VerifyAsync(content, signatureBytes, cancellationToken);
            var inRange = digest is null || (digest.DigestEndTime >= from && digest.DigestStartTime <= to);
            if (!signed || digest is null)
            {
                if (inRange)
                {
                    digestResults.Add(new ValidatedObject(item.Key, ValidationStatus.Modified, "the signature does not match the content"));
                }
                if (digest is not null)
                {
                    untrusted.UnionWith(digest.Files.Select(f => f.Key));
                }
                continue;
            }
            readDigests[seq] = (digest, Convert.ToHexStringLower(SHA256.HashData(content)));
            lastDigestEnd = digest.DigestEndTime > lastDigestEnd || lastDigestEnd is null ? digest.DigestEndTime : lastDigestEnd;

            string status = ValidationStatus.Valid;
            string? reason = null;
            if (digest.PreviousDigestKey is { } previousKey)
            {
                if (!digestObjects.Values.Any(o => o.Key == previousKey))
                {
                    if (inRange)
                    {
                        digestResults.Add(new ValidatedObject(previousKey, ValidationStatus.Deleted, $"{item.Key} names it as the previous digest"));
                    }
                    (status, reason) = (ValidationStatus.MissingFromChain, $"the previous digest {previousKey} is gone");
                }
                else if (!readDigests.TryGetValue(seq - 1, out var previous) || previous.Sha256 != digest.PreviousDigestSha256)
                {
                    (status, reason) = (ValidationStatus.MissingFromChain, $"the previous digest {previousKey} is not the one this digest chains to");
                }
            }
            if (inRange)
            {
                digestResults.Add(new ValidatedObject(item.Key, status, reason));
            }
            foreach (var file in digest.Files)
            {
                listed[file.Key] = file;
            }
        }

        var fileResults = new List<ValidatedObject>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // The archive files in the bucket written in the range.
        await foreach (var item in bucket.ListAsync(layout.Prefix.Length == 0 ? "" : layout.Prefix + "/", cancellationToken))
        {
            if (item.Key.StartsWith(layout.DigestPrefix, StringComparison.Ordinal) || !item.Key.EndsWith(".parquet", StringComparison.Ordinal))
            {
                continue;
            }
            seen.Add(item.Key);
            if (listed.TryGetValue(item.Key, out var file))
            {
                if (item.LastModified >= from && item.LastModified <= to || InRangeByDigest(item.Key))
                {
                    fileResults.Add(await CheckAsync(file, cancellationToken));
                }
            }
            else if (item.LastModified >= from && item.LastModified <= to)
            {
                fileResults.Add(!untrusted.Contains(item.Key) && (lastDigestEnd is null || item.LastModified > lastDigestEnd)
                    ? new ValidatedObject(item.Key, ValidationStatus.NotYetDigested)
                    : new ValidatedObject(item.Key, ValidationStatus.MissingFromChain,
                        untrusted.Contains(item.Key) ? "only a modified digest lists it" : "no digest lists it"));
            }
        }
        // Files the range's digests list that are no longer in the bucket.
        foreach (var (_, (digest, _)) in readDigests)
        {
            if (digest.DigestEndTime < from || digest.DigestStartTime > to)
            {
                continue;
            }
            foreach (var file in digest.Files.Where(f => !seen.Contains(f.Key)))
            {
                fileResults.Add(new ValidatedObject(file.Key, ValidationStatus.Deleted, $"{layout.DigestKey(digest.Seq, digest.DigestEndTime)} lists it"));
            }
        }

        var valid = digestResults.All(d => d.Status == ValidationStatus.Valid)
            && fileResults.All(f => f.Status is ValidationStatus.Valid or ValidationStatus.NotYetDigested);
        return new ArchiveValidation(from, to, valid, digestResults, fileResults.OrderBy(f => f.Key, StringComparer.Ordinal).ToList());

        bool InRangeByDigest(string key) => readDigests.Values.Any(d =>
            d.Digest.DigestEndTime >= from && d.Digest.DigestStartTime <= to && d.Digest.Files.Any(f => f.Key == key));
    }

    private async Task<ValidatedObject> CheckAsync(DigestFile file, CancellationToken cancellationToken)
    {
        if (await bucket.GetAsync(file.Key, cancellationToken) is not { } found)
        {
            return new ValidatedObject(file.Key, ValidationStatus.Deleted);
        }
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(found.Content));
        return sha256 == file.Sha256
            ? new ValidatedObject(file.Key, ValidationStatus.Valid)
            : new ValidatedObject(file.Key, ValidationStatus.Modified, $"SHA-256 {sha256}, the digest says {file.Sha256}");
    }

    private static bool TryHex(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
