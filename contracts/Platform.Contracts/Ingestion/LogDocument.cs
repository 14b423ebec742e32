using System.Runtime.InteropServices;
using System.Text;

namespace Platform.Contracts.Ingestion;

/// <summary>
/// A log event's document. Ingestion holds it as the UTF-8 JSON it read, checked but never built into a tree, and
/// writes those bytes into messages as they are; a consumer reads it from a message as a parsed element.
/// <see cref="Root"/> gives the element either way (parsing the bytes on first use).
/// </summary>
[JsonConverter(typeof(LogDocumentJsonConverter))]
public sealed class LogDocument
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64 };

    private readonly ReadOnlyMemory<byte> _utf8;
    private readonly JsonElement _element;
    private JsonDocument? _parsed;

    private LogDocument(ReadOnlyMemory<byte> utf8, JsonElement element)
    {
        _utf8 = utf8;
        _element = element;
    }

    /// <summary>
    /// A document from UTF-8 JSON already known to be exactly one valid JSON value: it is written into messages
    /// without being checked again. The memory must stay unchanged for the document's lifetime.
    /// </summary>
    public static LogDocument FromValidUtf8(ReadOnlyMemory<byte> json) => new(json, default);

    public static LogDocument FromElement(JsonElement element) => new(default, element);

    /// <summary>The document as a JSON element.</summary>
    public JsonElement Root
    {
        get
        {
            if (_element.ValueKind != JsonValueKind.Undefined)
            {
                return _element;
            }
            // Two threads may both parse on first use; either document is the same JSON.
            return (_parsed ??= JsonDocument.Parse(_utf8, ParseOptions)).RootElement;
        }
    }

    /// <summary>The document's JSON text.</summary>
    public string GetRawText() =>
        _element.ValueKind != JsonValueKind.Undefined ? _element.GetRawText() : Encoding.UTF8.GetString(_utf8.Span);

    /// <summary>The document's UTF-8 JSON, as <see cref="GetRawText"/> gives it as text: the bytes it was made from, or the element's.</summary>
    public ReadOnlyMemory<byte> Utf8() =>
        _element.ValueKind != JsonValueKind.Undefined ? JsonMarshal.GetRawUtf8Value(_element).ToArray() : _utf8;

    /// <summary>The length of the document's UTF-8 JSON (<see cref="Utf8"/>), without copying it.</summary>
    public int Utf8Length =>
        _element.ValueKind != JsonValueKind.Undefined ? JsonMarshal.GetRawUtf8Value(_element).Length : _utf8.Length;

    public void WriteTo(Utf8JsonWriter writer)
    {
        if (_element.ValueKind != JsonValueKind.Undefined)
        {
            _element.WriteTo(writer);
        }
        else
        {
            writer.WriteRawValue(_utf8.Span, skipInputValidation: true);
        }
    }
}

/// <summary>Writes a document's JSON as it is; reads one as a parsed element.</summary>
public sealed class LogDocumentJsonConverter : JsonConverter<LogDocument>
{
    public override LogDocument Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        LogDocument.FromElement(JsonElement.ParseValue(ref reader));

    public override void Write(Utf8JsonWriter writer, LogDocument value, JsonSerializerOptions options) => value.WriteTo(writer);
}
