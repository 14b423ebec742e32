namespace Platform.Ingestion.Parsing;

/// <summary>How a payload was compressed, as recognised from its first bytes.</summary>
public enum PayloadCompression
{
    None,
    Gzip,
    Zlib,
}
