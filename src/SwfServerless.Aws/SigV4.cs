using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SwfServerless.Aws;

/// <summary>
/// AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html):
/// the canonical request, the string to sign, the derived key and the signature. One implementation signs what
/// the functions send to AWS (IAM, Secrets Manager) and verifies what clients send to the local host in strict
/// mode, so the two can only agree.
/// </summary>
public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>The credential scope: <c>date/region/service/aws4_request</c>.</summary>
    public sealed record Scope(string Date, string Region, string Service)
    {
        public override string ToString() => $"{Date}/{Region}/{Service}/aws4_request";
    }

    /// <summary>A parsed <c>Authorization</c> header.</summary>
    public sealed record Authorization(string AccessKeyId, Scope Scope, IReadOnlyList<string> SignedHeaders, string Signature);

    /// <summary>Parses <c>AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, SignedHeaders=a;b, Signature=hex</c>; null when it is not one.</summary>
    public static Authorization? ParseAuthorization(string? header)
    {
        if (header is null || !header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return null;
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in header[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                return null;
            }

            var (name, value) = (part[..eq], part[(eq + 1)..]);
            switch (name)
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaders = value; break;
                case "Signature": signature = value; break;
            }
        }

        var c = credential?.Split('/');
        if (c is not { Length: 5 } || c[4] != "aws4_request" || signedHeaders is null || signature is null || c.Any(p => p.Length == 0))
        {
            return null;
        }

        return new Authorization(c[0], new Scope(c[1], c[2], c[3]), signedHeaders.Split(';'), signature);
    }

    /// <summary>
    /// The canonical request. <paramref name="path"/> is the path as sent on the wire (already percent-encoded
    /// once); services other than S3 encode it once more, as the SDKs do. Headers are matched by name, ignoring case.
    /// </summary>
    public static string CanonicalRequest(
        string method, string path, string? query, IReadOnlyList<string> signedHeaders, Func<string, string?> header, string payloadSha256Hex)
    {
        var b = new StringBuilder();
        b.Append(method).Append('\n');
        b.Append(CanonicalPath(path)).Append('\n');
        b.Append(CanonicalQuery(query)).Append('\n');
        foreach (var name in signedHeaders)
        {
            b.Append(name.ToLowerInvariant()).Append(':').Append(Trim(header(name) ?? "")).Append('\n');
        }

        b.Append('\n').Append(string.Join(';', signedHeaders.Select(h => h.ToLowerInvariant()))).Append('\n');
        b.Append(payloadSha256Hex);
        return b.ToString();
    }

    public static string StringToSign(string amzDate, Scope scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    public static string Signature(string secretAccessKey, Scope scope, string stringToSign)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), scope.Date);
        key = Hmac(key, scope.Region);
        key = Hmac(key, scope.Service);
        key = Hmac(key, "aws4_request");
        return Hex(Hmac(key, stringToSign));
    }

    /// <summary>
    /// Signs an outgoing request: returns the headers to add (<c>X-Amz-Date</c>, <c>X-Amz-Security-Token</c> when a
    /// session token is given, and <c>Authorization</c>). <paramref name="headers"/> must include <c>host</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Sign(
        string method, Uri uri, IReadOnlyDictionary<string, string> headers, byte[] body, string region, string service,
        string accessKeyId, string secretAccessKey, string? sessionToken, DateTimeOffset now)
    {
        var amzDate = now.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);
        var all = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase) { ["x-amz-date"] = amzDate };
        if (sessionToken is not null)
        {
            all["x-amz-security-token"] = sessionToken;
        }

        var signed = all.Keys.Select(k => k.ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();
        var scope = new Scope(amzDate[..8], region, service);
        var canonical = CanonicalRequest(method, uri.AbsolutePath, uri.Query.TrimStart('?'), signed, h => all.GetValueOrDefault(h), Hex(SHA256.HashData(body)));
        var signature = Signature(secretAccessKey, scope, StringToSign(amzDate, scope, canonical));
        var added = new Dictionary<string, string> { ["X-Amz-Date"] = amzDate };
        if (sessionToken is not null)
        {
            added["X-Amz-Security-Token"] = sessionToken;
        }

        added["Authorization"] = $"{Algorithm} Credential={accessKeyId}/{scope}, SignedHeaders={string.Join(';', signed)}, Signature={signature}";
        return added;
    }

    /// <summary>Compares two signatures in constant time.</summary>
    public static bool SameSignature(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a.ToLowerInvariant()), Encoding.ASCII.GetBytes(b.ToLowerInvariant()));

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    // Each segment percent-encoded again: '%' of the wire form becomes '%25', unreserved characters stay.
    private static string CanonicalPath(string path) =>
        path.Length == 0 ? "/" : string.Join('/', path.Split('/').Select(Encode));

    private static string CanonicalQuery(string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return "";
        }

        return string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: Encode(Uri.UnescapeDataString(p[0])), Value: Encode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
    }

    /// <summary>RFC 3986 encoding of everything but the unreserved characters, upper-case hex, as SigV4 requires.</summary>
    public static string Encode(string value)
    {
        var b = new StringBuilder(value.Length);
        foreach (var by in Encoding.UTF8.GetBytes(value))
        {
            var ch = (char)by;
            if (ch is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                b.Append(ch);
            }
            else
            {
                b.Append('%').Append(by.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return b.ToString();
    }

    // Leading and trailing spaces removed, runs of spaces inside collapsed to one.
    private static string Trim(string value) => string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim();
}
