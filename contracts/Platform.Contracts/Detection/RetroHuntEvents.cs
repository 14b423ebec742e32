using System.IO.Compression;
using System.Text;
using Platform.Contracts.Ingestion;

namespace Platform.Contracts.Detection;

/// <summary>
/// The compact wire form of a <see cref="RetroHuntBatch"/>'s events: each event's envelope fields and its document's
/// UTF-8 JSON as it is, length-prefixed, the whole deflated (zlib, fastest). A batch of 2,000 CloudTrail records is
/// about 3 MB as JSON messages; this is a tenth of that, never parsed as JSON on the way, and detection parses each
/// document once, from its slice of the unpacked bytes, when a rule reads it.
/// </summary>
public static class RetroHuntEvents
{
    public static byte[] Pack(IReadOnlyList<NormalizedLogEvent> events)
    {
        using var packed = new MemoryStream();
        using (var zlib = new ZLibStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new BinaryWriter(zlib, Encoding.UTF8, leaveOpen: true))
        {
            foreach (var e in events)
            {
                writer.Write(e.EventId);
                writer.Write(e.SourceType);
                writer.Write(e.EventTime.UtcTicks);
                foreach (var field in new[] { e.LogGroup, e.LogStream, e.Account, e.Region, e.EventSource, e.EventName, e.Principal, e.SourceIp, e.ErrorCode })
                {
                    writer.Write(field is not null);
                    if (field is not null)
                    {
                        writer.Write(field);
                    }
                }
                var document = e.Document.Utf8();
                writer.Write7BitEncodedInt(document.Length);
                writer.Write(document.Span);
            }
        }
        return packed.ToArray();
    }

    /// <summary>The <paramref name="count"/> events <see cref="Pack"/> packed; <see cref="InvalidDataException"/> when the bytes are not that.</summary>
    public static IReadOnlyList<NormalizedLogEvent> Unpack(byte[] packed, int count)
    {
        var unpacked = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(packed, writable: false), CompressionMode.Decompress))
        {
            zlib.CopyTo(unpacked);
        }
        var bytes = unpacked.GetBuffer();
        unpacked.Position = 0;
        using var reader = new BinaryReader(unpacked, Encoding.UTF8);
        var events = new NormalizedLogEvent[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                var id = reader.ReadString();
                var sourceType = reader.ReadString();
                var time = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
                var fields = new string?[9];
                for (var f = 0; f < fields.Length; f++)
                {
                    fields[f] = reader.ReadBoolean() ? reader.ReadString() : null;
                }
                var length = reader.Read7BitEncodedInt();
                var start = (int)unpacked.Position;
                if (length < 0 || start + length > unpacked.Length)
                {
                    throw new InvalidDataException($"event {i} of the batch ends past its bytes");
                }
                unpacked.Position = start + length;
                events[i] = new NormalizedLogEvent(id, sourceType, time, fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6], fields[7], fields[8],
                    LogDocument.FromValidUtf8(new ReadOnlyMemory<byte>(bytes, start, length)));
            }
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException($"the batch holds fewer than its {count} events", ex);
        }
        if (unpacked.Position != unpacked.Length)
        {
            throw new InvalidDataException($"the batch holds more than its {count} events");
        }
        return events;
    }
}
