namespace Platform.Ingestion.Tests.Service;

[Collection(IngestionServiceCollection.Name)]
public sealed class Posting_cloudtrail_files(IngestionService service)
{
    [Fact]
    public async Task Stores_every_record_of_a_gzipped_s3_log_file()
    {
        var counts = await service.IngestAsync("/v1/ingest/cloudtrail", Samples.Read("cloudtrail", "cloudtrail-log-file.json.gz"));

        Assert.True(counts.Accepted > 0);
        Assert.Equal(0, counts.Quarantined);
        var assumeRole = await service.GetJsonAsync("/v1/events/94960c89-0827-44eb-9c4f-f979111461b8");
        assumeRole.AssertStrings(
            ("eventName", "AssumeRole"),
            ("eventSource", "sts.amazonaws.com"));
        // An AWS service acting has no ARN: it is named by the service.
        assumeRole.AssertStrings(
            ("principal", "ec2.amazonaws.com"),
            ("sourceIp", "ec2.amazonaws.com"),
            ("account", "123456789"),
            ("region", "eu-west-3"));
        Assert.Equal(DateTimeOffset.Parse("2023-05-19T07:44:30Z"), assumeRole.GetProperty("eventTime").GetDateTimeOffset());
        Assert.Contains("\"sharedEventID\"", assumeRole.GetProperty("record").GetString());
    }

    [Fact]
    public async Task Stores_every_record_of_the_stratus_detonations_with_malformed_ips_as_written()
    {
        var files = Directory.GetFiles(SharedData.PathOf("data", "cloudtrail", "stratus-detonations"), "*.json");
        var accepted = 0;
        foreach (var file in files)
        {
            var counts = await service.IngestAsync("/v1/ingest/cloudtrail", File.ReadAllBytes(file));
            Assert.Equal(0, counts.Quarantined);
            accepted += counts.Accepted;
        }

        Assert.Equal(142, accepted);
        var attach = await service.GetJsonAsync("/v1/events/083dc4ad-e264-46bc-a407-d0dd31b58bdc");
        attach.AssertStrings(
            ("eventName", "AttachUserPolicy"),
            ("sourceIp", "075.050.255.67"),
            ("principal", "arn:aws:iam::229654561268:user/christophe"),
            ("account", "229654561268"),
            ("region", "ap-isob-central-3r"));
        Assert.Equal("arn:aws:iam::aws:policy/AdministratorAccess",
            attach.GetProperty("document").GetProperty("requestParameters").GetProperty("policyArn").GetString());

        var listed = await service.GetJsonAsync("/v1/events?sourceType=cloudtrail&eventName=AttachUserPolicy&sourceIp=075.050.255.67");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), e => e.GetProperty("eventId").GetString() == "083dc4ad-e264-46bc-a407-d0dd31b58bdc");
        Assert.All(listed.GetProperty("items").EnumerateArray(), e => Assert.Equal("AttachUserPolicy", e.GetProperty("eventName").GetString()));
    }
}
