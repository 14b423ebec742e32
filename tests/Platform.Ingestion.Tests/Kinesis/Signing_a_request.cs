namespace Platform.Ingestion.Tests.Kinesis;

/// <summary>Against AWS's published Signature Version 4 test suite (AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1, service).</summary>
public sealed class Signing_a_request
{
    private static readonly ImmutableCredentials Example = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static readonly DateTimeOffset SignedAt = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("GET", "https://example.amazonaws.com/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("POST", "https://example.amazonaws.com/", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    [InlineData("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    public void Matches_the_aws_test_suite(string method, string url, string signature)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);

        KinesisRequestSigner.Sign(request, [], Example, "us-east-1", SignedAt, "service");

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + signature,
            request.Headers.GetValues("Authorization").Single());
        Assert.Equal("20150830T123600Z", request.Headers.GetValues("X-Amz-Date").Single());
    }

    [Fact]
    public void Signs_the_target_and_content_type_of_a_kinesis_call_and_sends_the_session_token()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://kinesis.eu-west-1.amazonaws.com/");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "Kinesis_20131202.ListShards");
        request.Content = new ByteArrayContent("{}"u8.ToArray());
        request.Content.Headers.ContentType = new("application/x-amz-json-1.1");

        KinesisRequestSigner.Sign(request, "{}"u8, new ImmutableCredentials("AKID", "SECRET", "TOKEN"), "eu-west-1", SignedAt);

        var authorization = request.Headers.GetValues("Authorization").Single();
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKID/20150830/eu-west-1/kinesis/aws4_request, ", authorization);
        Assert.Contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,", authorization);
        Assert.Equal("TOKEN", request.Headers.GetValues("X-Amz-Security-Token").Single());
    }
}
