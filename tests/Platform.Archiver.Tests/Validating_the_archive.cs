namespace Platform.Archiver.Tests;

/// <summary>
/// Two flushes make two files and two chained digests; each test then does one thing to the bucket and validates the
/// range they were written in.
/// </summary>
public sealed class Validating_the_archive : ArchiverPerTest
{
    private DateTimeOffset _from;
    private DateTimeOffset _to;
    private List<string> _files = [];
    private List<string> _digests = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _from = DateTimeOffset.UtcNow.AddSeconds(-1);
        var hour = Batches.TwoHoursAgo();
        await Archiver.ArchiveAsync(Batches.CloudTrail(5, hour), bufferedInAll: 5);
        await Archiver.ArchiveAsync(Batches.CloudTrail(3, hour), bufferedInAll: 8);
        _to = DateTimeOffset.UtcNow.AddSeconds(1);
        _files = (await Archiver.Bucket.DataKeysAsync()).Order(StringComparer.Ordinal).ToList();
        _digests = (await Archiver.Bucket.DigestKeysAsync()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, _files.Count);
        Assert.Equal(2, _digests.Count);
    }

    private static string StatusOf(JsonElement report, string list, string key) =>
        report.GetProperty(list).EnumerateArray().Single(e => e.GetProperty("key").GetString() == key).GetProperty("status").GetString()!;

    /// <summary>Validates the range, asserts it is not valid and that each named file or digest has its status.</summary>
    private async Task AssertInvalidWithAsync(params (string List, string Key, string Status)[] expected)
    {
        var report = await Archiver.ValidateAsync(_from, _to);

        Assert.False(report.GetProperty("valid").GetBoolean());
        Assert.Equal(expected, expected.Select(e => (e.List, e.Key, StatusOf(report, e.List, e.Key))).ToArray());
    }

    [Fact]
    public async Task An_untouched_range_validates()
    {
        var report = await Archiver.ValidateAsync(_from, _to);

        Assert.True(report.GetProperty("valid").GetBoolean(), report.ToString());
        Assert.All(_files, f => Assert.Equal("valid", StatusOf(report, "files", f)));
        Assert.All(_digests, d => Assert.Equal("valid", StatusOf(report, "digests", d)));
    }

    [Fact]
    public async Task A_tampered_file_is_reported_modified()
    {
        var content = await Archiver.Bucket.ReadAsync(_files[0]);
        content[content.Length / 2] ^= 0xFF;
        await Archiver.Bucket.OverwriteAsync(_files[0], content);

        await AssertInvalidWithAsync(("files", _files[0], "modified"), ("files", _files[1], "valid"));
    }

    [Fact]
    public async Task A_deleted_file_is_reported_deleted()
    {
        await Archiver.Bucket.DeleteAsync(_files[1]);

        await AssertInvalidWithAsync(("files", _files[1], "deleted"), ("files", _files[0], "valid"));
    }

    [Fact]
    public async Task A_rewritten_digest_breaks_the_chain()
    {
        // Someone drops the first file from its digest (and would re-sign it, but has no key).
        var digest = JsonNode.Parse(await Archiver.Bucket.ReadAsync(_digests[0]))!;
        digest["files"] = new JsonArray();
        await Archiver.Bucket.OverwriteAsync(_digests[0], Encoding.UTF8.GetBytes(digest.ToJsonString()));

        await AssertInvalidWithAsync(
            ("digests", _digests[0], "modified"), ("digests", _digests[1], "missingFromChain"), ("files", _files[0], "missingFromChain"));
    }

    [Fact]
    public async Task A_deleted_digest_is_reported_and_its_files_are_missing_from_the_chain()
    {
        await Archiver.Bucket.DeleteAsync(_digests[0]);

        await AssertInvalidWithAsync(
            ("digests", _digests[0], "deleted"), ("digests", _digests[1], "missingFromChain"),
            ("files", _files[0], "missingFromChain"), ("files", _files[1], "valid"));
    }

    [Fact]
    public async Task The_public_key_verifies_a_digest_without_the_platform()
    {
        var key = JsonDocument.Parse(await Archiver.Admin.GetStringAsync("/v1/archive/public-key")).RootElement;
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportFromPem(key.GetProperty("publicKeyPem").GetString());
        var content = await Archiver.Bucket.ReadAsync(_digests[1]);
        var signature = Convert.FromHexString(Archiver.Proxy.Puts(_digests[1]).Last().Headers["x-amz-meta-signature"]);

        Assert.True(rsa.VerifyData(content, signature, System.Security.Cryptography.HashAlgorithmName.SHA256,
            System.Security.Cryptography.RSASignaturePadding.Pkcs1));
        var previous = JsonNode.Parse(content)!["previousDigestSha256"]!.GetValue<string>();
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await Archiver.Bucket.ReadAsync(_digests[0]))), previous);
    }
}
