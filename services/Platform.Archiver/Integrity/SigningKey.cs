namespace Platform.Archiver.Integrity;

/// <summary>
/// The RSA key digests are signed with: <see cref="ArchiverOptions.SigningKeyPem"/>, or else one generated on first
/// use and kept in the archiver's database (the same for every instance and across restarts).
/// </summary>
public sealed class SigningKey(ArchiverOptions options, NpgsqlDataSource dataSource) : IDisposable
{
    public const string Algorithm = "SHA256withRSA";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private RSA? _rsa;

    public async Task<RSA> GetAsync(CancellationToken cancellationToken)
    {
        if (_rsa is { } loaded)
        {
            return loaded;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_rsa is null)
            {
                var rsa = RSA.Create();
                rsa.ImportFromPem(options.SigningKeyPem is { Length: > 0 } configured ? configured : await StoredPemAsync(cancellationToken));
                _rsa = rsa;
            }
            return _rsa;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<byte[]> SignAsync(byte[] content, CancellationToken cancellationToken) =>
        (await GetAsync(cancellationToken)).SignData(content, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public async Task<bool> VerifyAsync(byte[] content, byte[] signature, CancellationToken cancellationToken) =>
        (await GetAsync(cancellationToken)).VerifyData(content, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>The public key (SubjectPublicKeyInfo PEM) and its SHA-256 fingerprint (hex of the DER).</summary>
    public async Task<(string Pem, string Fingerprint)> PublicKeyAsync(CancellationToken cancellationToken)
    {
        var rsa = await GetAsync(cancellationToken);
        return (rsa.ExportSubjectPublicKeyInfoPem(), Convert.ToHexStringLower(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo())));
    }

    private async Task<string> StoredPemAsync(CancellationToken cancellationToken)
    {
        using var generated = RSA.Create(3072);
        await using (var insert = dataSource.CreateCommand("INSERT INTO signing_key (id, private_pem) VALUES (1, $1) ON CONFLICT (id) DO NOTHING"))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = generated.ExportPkcs8PrivateKeyPem() });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var select = dataSource.CreateCommand("SELECT private_pem FROM signing_key WHERE id = 1");
        return (string)(await select.ExecuteScalarAsync(cancellationToken))!;
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        _gate.Dispose();
    }
}
