namespace Platform.Ingestion.Tests.Parsing;

public sealed class Unwrapping_lambda_envelopes
{
    [Fact]
    public void Takes_the_data_of_an_awslogs_event()
    {
        var payloads = SubscriptionEnvelope.Unwrap(Samples.Read("subscription-payloads", "cloudWatchLogEvent.json"));

        Assert.Equal(PayloadCompression.Gzip, PayloadDecoder.Detect(Assert.Single(payloads).Span));
    }

    [Fact]
    public void Takes_the_data_of_each_kinesis_record()
    {
        Assert.Equal(2, SubscriptionEnvelope.Unwrap(Samples.Read("subscription-payloads", "kinesisStreamCloudWatchLogsEvent.json")).Count);
    }

    [Theory]
    [InlineData("""{"messageType":"DATA_MESSAGE","logEvents":[]}""")]
    [InlineData("""{"Records":[{"eventVersion":"1.0"}]}""")]
    [InlineData("plain")]
    public void Leaves_anything_else_whole(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        Assert.Equal(bytes, Assert.Single(SubscriptionEnvelope.Unwrap(bytes)).ToArray());
    }
}
