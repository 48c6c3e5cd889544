using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SwfServerless.Protocol.Json;

/// <summary>
/// SWF timestamps are JSON numbers of epoch seconds with a millisecond fraction (e.g. 1786560427.599).
/// botocore sends whole seconds in requests, other SDKs send fractions: both are read; fractions are written.
/// </summary>
public sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        FromEpochSeconds(reader.GetDouble());

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteRawValue(ToEpochSeconds(value).ToString("0.0##", CultureInfo.InvariantCulture));

    public static double ToEpochSeconds(DateTimeOffset value) => value.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Milliseconds are SWF's resolution; anything finer is dropped. Out-of-range values clamp.</summary>
    public static DateTimeOffset FromEpochSeconds(double seconds)
    {
        var ms = Math.Round(seconds * 1000.0);
        ms = Math.Clamp(ms, DateTimeOffset.MinValue.ToUnixTimeMilliseconds(), DateTimeOffset.MaxValue.ToUnixTimeMilliseconds());
        return DateTimeOffset.FromUnixTimeMilliseconds((long)ms);
    }
}
