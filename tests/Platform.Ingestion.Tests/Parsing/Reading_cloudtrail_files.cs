namespace Platform.Ingestion.Tests.Parsing;

public sealed class Reading_cloudtrail_files
{
    private static (string? Error, ParsedBatch Batch) Parse(byte[] data)
    {
        var batch = new ParsedBatch();
        return (CloudTrailFileParser.Parse(data, "http:cloudtrail", null, DateTimeOffset.UnixEpoch, 1 << 24, batch), batch);
    }

    [Fact]
    public void Reads_the_records_of_an_s3_log_file_keeping_each_record_text()
    {
        var (error, batch) = Parse(Samples.Read("cloudtrail", "cloudtrail-log-file.json.gz"));

        Assert.Null(error);
        Assert.NotEmpty(batch.Events);
        var record = Encoding.UTF8.GetString(batch.Events[0].Record.Span);
        Assert.StartsWith("{", record);
        Assert.Contains("\"eventID\": \"94960c89-0827-44eb-9c4f-f979111461b8\"", record);
    }

    [Fact]
    public void Reads_a_json_array_of_records()
    {
        var (error, batch) = Parse(Samples.Read("cloudtrail", "stratus-detonations", "aws.persistence.iam-create-admin-user.json"));

        Assert.Null(error);
        Assert.All(batch.Events, e => Assert.Equal("cloudtrail", e.Event.SourceType));
        Assert.Contains(batch.Events, e => e.Event.EventName == "CreateAccessKey");
    }

    [Theory]
    [InlineData("""{"records":[]}""", "Records")]
    [InlineData("""42""", "Records")]
    [InlineData("""{"Records":[""", "JSON")]
    public void Refuses_a_file_that_is_not_cloudtrail(string json, string reason)
    {
        var (error, batch) = Parse(Encoding.UTF8.GetBytes(json));

        Assert.Contains(reason, error);
        Assert.Single(batch.Rejected);
    }
}
