using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace RoleMap.FakeEks;

/// <summary>Why a request's signature was refused: the AWS error code and message, as EKS answers them (403).</summary>
public sealed record SignatureRejection(string Code, string Message);

/// <summary>
/// An independent SigV4 check (header form), written from the specification rather than with an SDK so that it
/// checks the client's signer: canonical request (the path URI-encoded again, as for every service but S3; the
/// query re-encoded and sorted; the signed headers trimmed), string to sign, the HMAC key chain, compared with the
/// Authorization header. Accepts both AWSSDK.Core's form (x-amz-content-sha256 signed) and botocore's (not signed).
/// </summary>
public static partial class SigV4Verifier
{
    public const string BadSignatureMessage = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    /// <summary>Null when the request is signed correctly by a key in <paramref name="secrets"/>; else the rejection.</summary>
    /// <param name="headers">Request headers by lower-case name (several values joined with ',').</param>
    public static SignatureRejection? Verify(string method, string rawTarget, IReadOnlyDictionary<string, string> headers, byte[] body, string service, IReadOnlyDictionary<string, string> secrets, DateTimeOffset now, out string? accessKey)
    {
        accessKey = null;
        if (!headers.TryGetValue("authorization", out var authorization) || string.IsNullOrEmpty(authorization))
        {
            return new SignatureRejection("MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        var match = AuthorizationHeader().Match(authorization);
        if (!match.Success)
        {
            return new SignatureRejection("IncompleteSignatureException", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=" + authorization);
        }

        accessKey = match.Groups["key"].Value;
        var scopeDate = match.Groups["date"].Value;
        var region = match.Groups["region"].Value;
        var scopeService = match.Groups["service"].Value;
        var signedHeaders = match.Groups["signed"].Value;
        var signature = match.Groups["signature"].Value;
        if (!secrets.TryGetValue(accessKey, out var secret))
        {
            return new SignatureRejection("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        if (scopeService != service)
        {
            return new SignatureRejection("InvalidSignatureException", "Credential should be scoped to correct service: '" + service + "'.");
        }

        if (!headers.TryGetValue("x-amz-date", out var amzDate) || !DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            return new SignatureRejection("IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        if ((now - signedAt).Duration() > TimeSpan.FromMinutes(15))
        {
            return new SignatureRejection("InvalidSignatureException", "Signature expired: " + amzDate + " is now earlier than " + now.AddMinutes(-15).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + ".");
        }

        var canonical = CanonicalRequest(method, rawTarget, headers, body, signedHeaders);
        var scope = scopeDate + "/" + region + "/" + service + "/aws4_request";
        var stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), scopeDate), region), service), "aws4_request");
        var expected = Hex(Hmac(key, stringToSign));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? null
            : new SignatureRejection("InvalidSignatureException", BadSignatureMessage);
    }

    public static string CanonicalRequest(string method, string rawTarget, IReadOnlyDictionary<string, string> headers, byte[] body, string signedHeaders)
    {
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? rawTarget : rawTarget[..question];
        var query = question < 0 ? string.Empty : rawTarget[(question + 1)..];
        var canonicalQuery = string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
                var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
                return (Name: Uri.EscapeDataString(name), Value: Uri.EscapeDataString(value));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
        var names = signedHeaders.Split(';');
        var canonicalHeaders = string.Concat(names.Select(n => n + ":" + Spaces().Replace((headers.TryGetValue(n, out var v) ? v : string.Empty).Trim(), " ") + "\n"));
        var payloadHash = headers.TryGetValue("x-amz-content-sha256", out var declared) && declared.Length == 64 ? declared : Hex(SHA256.HashData(body));
        return method + "\n" + EncodePath(path.Length == 0 ? "/" : path) + "\n" + canonicalQuery + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + payloadHash;
    }

    /// <summary>The path as sent, URI-encoded once more with '/' kept (so %3A becomes %253A).</summary>
    private static string EncodePath(string path)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(path))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~' or '/')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    [GeneratedRegex(@"^AWS4-HMAC-SHA256\s+Credential=(?<key>[^/]+)/(?<date>\d{8})/(?<region>[^/]+)/(?<service>[^/]+)/aws4_request,\s*SignedHeaders=(?<signed>[a-z0-9\-;]+),\s*Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationHeader();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
