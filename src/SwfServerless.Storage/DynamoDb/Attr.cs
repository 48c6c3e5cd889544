using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace SwfServerless.Storage.DynamoDb;

/// <summary>Small helpers for reading and writing attribute values; optional values are simply left out.</summary>
internal static class Attr
{
    public static AttributeValue S(string value) => new(value);

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static void Set(Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (value is not null)
        {
            item[name] = new AttributeValue(value);
        }
    }

    public static void Set(Dictionary<string, AttributeValue> item, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            item[name] = N(v.ToUnixTimeMilliseconds());
        }
    }

    public static string? Str(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) ? v.S : null;

    public static string Required(Dictionary<string, AttributeValue> item, string name) =>
        Str(item, name) ?? throw new InvalidDataException($"Item {Str(item, Keys.Pk)} lacks '{name}'.");

    public static long Long(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.N is not null ? long.Parse(v.N, CultureInfo.InvariantCulture) : 0;

    public static DateTimeOffset? Time(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.N is not null
            ? DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(v.N, CultureInfo.InvariantCulture))
            : null;
}
