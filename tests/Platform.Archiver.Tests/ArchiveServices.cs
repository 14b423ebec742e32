using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Ingestion.Storage;
using Platform.Provisioning;

namespace Platform.Archiver.Tests;

/// <summary>
/// Provisioning, ingestion and the archiver sharing one broker prefix and one Postgres server, as a deployment runs
/// them, with a log group whose KMS key provisioning holds.
/// </summary>
public sealed class ArchiveServices : IAsyncLifetime
{
    public const string EncryptedLogGroup = "aws-cloudtrail-logs-encrypted";
    public const string KmsKeyId = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-archive";

    private readonly PostgresServer _postgres = new();
    private readonly string _busPrefix = RabbitMqServer.NewEntityPrefix();

    public ServiceHost<ProvisioningDbContext> Provisioning { get; private set; } = null!;

    public ServiceHost<RawLogStore> Ingestion { get; private set; } = null!;

    public ArchiverHost Archiver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Provisioning = new ServiceHost<ProvisioningDbContext>(PlatformResources.ProvisioningDb, _postgres.NewDatabaseConnectionString("provisioning"),
            _busPrefix, new Dictionary<string, string?> { ["Platform:Provisioning:SeedStack"] = "" });
        Archiver = await ArchiverHost.StartAsync(_postgres, _busPrefix);
        // Ingestion reads the archive (SQL's archive tier) with the archiver's settings, straight from s3rver.
        Ingestion = new ServiceHost<RawLogStore>(PlatformResources.IngestionDb, _postgres.NewDatabaseConnectionString("ingestion"), _busPrefix,
            Archiver.Bucket.ArchiverSettings(TestServers.S3.ToString()));
        await Task.WhenAll(Provisioning.WaitUntilHealthyAsync(), Ingestion.WaitUntilHealthyAsync());

        using var admin = Provisioning.CreateAdminClient();
        (await admin.PutAsJsonAsync($"/v1/log-groups/{EncryptedLogGroup}", new { retentionInDays = 30, kmsKeyId = KmsKeyId })).EnsureSuccessStatusCode();
        var key = await Eventually.ObserveAsync(async () =>
        {
            await using var command = Archiver.Host.Services.GetRequiredService<NpgsqlDataSource>()
                .CreateCommand($"SELECT kms_key_id FROM log_group_keys WHERE name = '{EncryptedLogGroup}'");
            return await command.ExecuteScalarAsync() as string;
        }, k => k is not null);
        Assert.Equal(KmsKeyId, key);
    }

    public async Task IngestAsync(string path, byte[] body)
    {
        using var client = Ingestion.CreateAdminClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync(path, content);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        await Archiver.DisposeAsync();
        await Ingestion.DisposeAsync();
        await Provisioning.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
