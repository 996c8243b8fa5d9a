using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;

namespace CognitoDevice.LocalEndpoint
{
    /// <summary>
    /// AWS Signature Version 4 (AWS4-HMAC-SHA256) primitives, written from the published
    /// specification with System.Security.Cryptography only (no AWS SDK). Used by the endpoint to
    /// verify Admin requests and by tests/benchmarks to sign them.
    /// </summary>
    public static class SigV4
    {
        public const string Algorithm = "AWS4-HMAC-SHA256";
        public const string ServiceName = "cognito-idp";
        public const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

        /// <summary>Lowercase hex SHA-256.</summary>
        public static string HexSha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

        /// <summary>Trim, and collapse inner whitespace runs to one space (as botocore and the spec do).</summary>
        public static string CanonicalHeaderValue(string value) =>
            string.Join(" ", value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

        /// <summary>
        /// The canonical request: method, canonical URI, canonical query, canonical headers (the
        /// <paramref name="signedHeaders"/>, lowercase, sorted, with their values), the signed header
        /// list and the hex SHA-256 of the payload.
        /// </summary>
        public static string CanonicalRequest(string method, string canonicalUri, string canonicalQuery,
            IReadOnlyList<string> signedHeaders, Func<string, string?> headerValue, string payloadHash)
        {
            var sb = new StringBuilder();
            sb.Append(method).Append('\n');
            sb.Append(canonicalUri).Append('\n');
            sb.Append(canonicalQuery).Append('\n');
            foreach (string name in signedHeaders)
            {
                sb.Append(name).Append(':').Append(CanonicalHeaderValue(headerValue(name) ?? "")).Append('\n');
            }
            sb.Append('\n');
            sb.Append(string.Join(";", signedHeaders)).Append('\n');
            sb.Append(payloadHash);
            return sb.ToString();
        }

        public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
            Algorithm + "\n" + amzDate + "\n" + scope + "\n" + HexSha256(Encoding.UTF8.GetBytes(canonicalRequest));

        public static string Scope(string date, string region, string service) => date + "/" + region + "/" + service + "/aws4_request";

        public static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
        {
            byte[] kDate = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
            byte[] kRegion = HMACSHA256.HashData(kDate, Encoding.UTF8.GetBytes(region));
            byte[] kService = HMACSHA256.HashData(kRegion, Encoding.UTF8.GetBytes(service));
            return HMACSHA256.HashData(kService, Encoding.UTF8.GetBytes("aws4_request"));
        }

        public static string Signature(byte[] signingKey, string stringToSign) =>
            Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));

        /// <summary>RFC 3986 percent-encoding (unreserved characters kept), as SigV4 requires.</summary>
        public static string UriEncode(string value, bool keepSlash)
        {
            var sb = new StringBuilder();
            foreach (byte b in Encoding.UTF8.GetBytes(value))
            {
                char c = (char)b;
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/'))
                {
                    sb.Append(c);
                }
                else
                {
                    sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }
            return sb.ToString();
        }

        /// <summary>Canonical query string from a raw query ("?a=1&amp;b=2" or "a=1&amp;b=2").</summary>
        public static string CanonicalQuery(string? rawQuery)
        {
            if (string.IsNullOrEmpty(rawQuery)) return "";
            string q = rawQuery[0] == '?' ? rawQuery.Substring(1) : rawQuery;
            if (q.Length == 0) return "";
            var pairs = new List<KeyValuePair<string, string>>();
            foreach (string part in q.Split('&'))
            {
                if (part.Length == 0) continue;
                int eq = part.IndexOf('=');
                string k = Uri.UnescapeDataString((eq < 0 ? part : part.Substring(0, eq)).Replace('+', ' '));
                string v = eq < 0 ? "" : Uri.UnescapeDataString(part.Substring(eq + 1).Replace('+', ' '));
                pairs.Add(new KeyValuePair<string, string>(UriEncode(k, false), UriEncode(v, false)));
            }
            return string.Join("&", pairs
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .ThenBy(p => p.Value, StringComparer.Ordinal)
                .Select(p => p.Key + "=" + p.Value));
        }

        /// <summary>
        /// Signs an awsJson request in place: sets X-Amz-Date, X-Amz-Security-Token (when the
        /// credential has one) and Authorization, signing content-type, host, x-amz-date,
        /// x-amz-target and x-amz-security-token. The content must already be set with its
        /// Content-Type; <paramref name="body"/> is the exact payload.
        /// </summary>
        public static void Sign(HttpRequestMessage request, byte[] body, TestCredential credential, string region,
            DateTime? utcNow = null, string service = ServiceName)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            if (request.RequestUri is null || !request.RequestUri.IsAbsoluteUri) throw new ArgumentException("An absolute RequestUri is required.", nameof(request));
            if (credential is null) throw new ArgumentNullException(nameof(credential));
            DateTime now = (utcNow ?? DateTime.UtcNow).ToUniversalTime();
            string amzDate = now.ToString(AmzDateFormat, CultureInfo.InvariantCulture);
            request.Headers.Remove("X-Amz-Date");
            request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
            request.Headers.Remove("X-Amz-Security-Token");
            if (credential.SessionToken != null) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", credential.SessionToken);

            var values = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["host"] = request.RequestUri.IsDefaultPort ? request.RequestUri.Host : request.RequestUri.Host + ":" + request.RequestUri.Port.ToString(CultureInfo.InvariantCulture),
                ["x-amz-date"] = amzDate,
            };
            if (request.Content?.Headers.TryGetValues("Content-Type", out IEnumerable<string>? ct) == true) values["content-type"] = string.Join(",", ct);
            if (request.Headers.TryGetValues("X-Amz-Target", out IEnumerable<string>? target)) values["x-amz-target"] = string.Join(",", target);
            if (credential.SessionToken != null) values["x-amz-security-token"] = credential.SessionToken;

            string authorization = Authorization(request.Method.Method, CanonicalUri(request.RequestUri.AbsolutePath),
                CanonicalQuery(request.RequestUri.Query), values, body, credential, region, amzDate, service);
            request.Headers.Remove("Authorization");
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        /// <summary>The Authorization header value for the given (lowercase-named) headers to sign.</summary>
        public static string Authorization(string method, string canonicalUri, string canonicalQuery,
            IReadOnlyDictionary<string, string> headersToSign, byte[] body, TestCredential credential, string region, string amzDate,
            string service = ServiceName)
        {
            List<string> signed = headersToSign.Keys.Select(k => k.ToLowerInvariant()).OrderBy(k => k, StringComparer.Ordinal).ToList();
            var lower = headersToSign.ToDictionary(kv => kv.Key.ToLowerInvariant(), kv => kv.Value, StringComparer.Ordinal);
            string canonical = CanonicalRequest(method, canonicalUri, canonicalQuery, signed, n => lower[n], HexSha256(body));
            string date = amzDate.Substring(0, 8);
            string scope = Scope(date, region, service);
            string signature = Signature(SigningKey(credential.SecretAccessKey, date, region, service), StringToSign(amzDate, scope, canonical));
            return Algorithm + " Credential=" + credential.AccessKeyId + "/" + scope + ", SignedHeaders=" + string.Join(";", signed) + ", Signature=" + signature;
        }

        /// <summary>Canonical URI of a path: each segment RFC 3986 encoded, "/" when empty.</summary>
        public static string CanonicalUri(string path)
        {
            if (string.IsNullOrEmpty(path)) return "/";
            string decoded = Uri.UnescapeDataString(path);
            return UriEncode(decoded, keepSlash: true);
        }
    }
}
