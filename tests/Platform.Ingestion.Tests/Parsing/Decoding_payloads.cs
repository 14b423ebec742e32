namespace Platform.Ingestion.Tests.Parsing;

public sealed class Decoding_payloads
{
    private static readonly byte[] Json = Encoding.UTF8.GetBytes("""{"messageType":"DATA_MESSAGE","logEvents":[]}""");

    private static byte[] Compress(byte[] data, Func<Stream, Stream> compressor)
    {
        using var buffer = new MemoryStream();
        using (var stream = compressor(buffer))
        {
            stream.Write(data);
        }
        return buffer.ToArray();
    }

    private static byte[] Gzip(byte[] data) => Compress(data, s => new GZipStream(s, CompressionLevel.Optimal));

    private static byte[] Zlib(byte[] data) => Compress(data, s => new ZLibStream(s, CompressionLevel.Optimal));

    [Fact]
    public void Recognises_gzip_zlib_and_plain_by_content()
    {
        Assert.Equal(PayloadCompression.Gzip, PayloadDecoder.Detect(Gzip(Json)));
        Assert.Equal(PayloadCompression.Zlib, PayloadDecoder.Detect(Zlib(Json)));
        Assert.Equal(PayloadCompression.Zlib, PayloadDecoder.Detect([0x78, 0x01]));
        Assert.Equal(PayloadCompression.Zlib, PayloadDecoder.Detect([0x78, 0xda]));
        Assert.Equal(PayloadCompression.None, PayloadDecoder.Detect(Json));
        Assert.Equal(PayloadCompression.None, PayloadDecoder.Detect("Hello"u8));
        Assert.Equal(PayloadCompression.None, PayloadDecoder.Detect([0x1f]));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zlib")]
    [InlineData("plain")]
    public void Decodes_each_encoding_to_the_same_text(string encoding)
    {
        var data = encoding switch { "gzip" => Gzip(Json), "zlib" => Zlib(Json), _ => Json };

        var error = PayloadDecoder.TryDecode(data, 1 << 20, out var decoded);

        Assert.Null(error);
        using (decoded)
        {
            Assert.Equal(Json, decoded.Span.ToArray());
        }
    }

    [Fact]
    public void Decodes_a_payload_larger_than_its_first_buffer()
    {
        var large = Encoding.UTF8.GetBytes(new string('x', 3_000_000));

        Assert.Null(PayloadDecoder.TryDecode(Gzip(large), 4_000_000, out var decoded));
        using (decoded)
        {
            Assert.Equal(large.Length, decoded.Bytes.Length);
        }
    }

    [Theory]
    [InlineData("gzip", 2)]
    [InlineData("gzip", 4)]
    [InlineData("gzip", 9)]
    [InlineData("zlib", 2)]
    [InlineData("zlib", 40)]
    public void Catches_a_truncated_stream(string encoding, int cut)
    {
        var data = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i => $"line {i} ")));
        var compressed = encoding == "gzip" ? Gzip(data) : Zlib(data);

        var error = PayloadDecoder.TryDecode(compressed[..^cut], 1 << 20, out _);

        Assert.NotNull(error);
        Assert.Contains(encoding, error);
    }

    [Fact]
    public void Stops_a_decompression_bomb_at_the_cap()
    {
        var bomb = Gzip(new byte[10_000_000]);

        var error = PayloadDecoder.TryDecode(bomb, 1_000_000, out _);

        Assert.Equal("the payload decompresses to more than 1000000 bytes", error);
    }

    [Fact]
    public void Refuses_corrupt_compressed_data()
    {
        byte[] corrupt = [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

        Assert.NotNull(PayloadDecoder.TryDecode(corrupt, 1 << 20, out _));
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xfe })]
    [InlineData(new byte[] { (byte)'a', 0xc3, 0x28 })]
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 })]
    public void Refuses_text_that_is_not_utf8(byte[] data)
    {
        Assert.Equal("the payload is not valid UTF-8", PayloadDecoder.TryDecode(data, 1 << 20, out _));
        Assert.Contains("UTF-8", PayloadDecoder.TryDecode(Gzip(data), 1 << 20, out _));
    }

    [Fact]
    public void Refuses_an_empty_payload()
    {
        Assert.Equal("the payload is empty", PayloadDecoder.TryDecode(ReadOnlyMemory<byte>.Empty, 1 << 20, out _));
    }
}
