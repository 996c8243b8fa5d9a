using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CognitoDevice.LocalEndpoint.Protocol;
using Microsoft.AspNetCore.Http;

namespace CognitoDevice.LocalEndpoint.Auth
{
    /// <summary>The authenticated caller of an Admin operation.</summary>
    internal sealed record SigV4Principal(TestCredential Credential, string Region, bool Denied);

    /// <summary>
    /// Verifies AWS4-HMAC-SHA256 Authorization headers. Errors never contain the secret key or
    /// the session token.
    /// </summary>
    internal static class SigV4Verifier
    {
        private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);
        private static readonly Regex RegionPattern = new Regex("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", RegexOptions.CultureInvariant);

        public static SigV4Principal Verify(HttpRequest request, byte[] body, DateTime utcNow)
        {
            string? authorization = request.Headers.Authorization.Count == 0 ? null : request.Headers.Authorization.ToString();
            if (string.IsNullOrWhiteSpace(authorization))
            {
                throw new CognitoServiceException(ErrorCodes.MissingAuthenticationToken, "Missing Authentication Token");
            }
            ParsedAuthorization auth = Parse(authorization);

            if (!LocalCredentials.All.TryGetValue(auth.AccessKeyId, out TestCredential? credential))
            {
                throw new CognitoServiceException(ErrorCodes.UnrecognizedClient, "The security token included in the request is invalid.");
            }
            if (auth.Terminator != "aws4_request")
            {
                throw Invalid("Credential should be scoped with a valid terminator: 'aws4_request', not '" + auth.Terminator + "'.");
            }
            if (auth.Service != SigV4.ServiceName)
            {
                throw Invalid("Credential should be scoped to correct service: '" + SigV4.ServiceName + "'.");
            }
            if (!RegionPattern.IsMatch(auth.Region))
            {
                throw Invalid("Credential should be scoped to a valid region, not '" + auth.Region + "'.");
            }
            if (!auth.SignedHeaders.Contains("host"))
            {
                throw new CognitoServiceException(ErrorCodes.IncompleteSignature, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
            }

            string? amzDate = Header(request, "x-amz-date");
            DateTime requestTime;
            if (amzDate != null)
            {
                if (!DateTime.TryParseExact(amzDate, SigV4.AmzDateFormat, CultureInfo.InvariantCulture,
                        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out requestTime))
                {
                    throw new CognitoServiceException(ErrorCodes.IncompleteSignature, "Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'. See http://en.wikipedia.org/wiki/ISO_8601");
                }
            }
            else
            {
                string? date = Header(request, "date");
                if (date is null || !DateTime.TryParse(date, CultureInfo.InvariantCulture,
                        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out requestTime))
                {
                    throw new CognitoServiceException(ErrorCodes.IncompleteSignature, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
                }
                amzDate = requestTime.ToString(SigV4.AmzDateFormat, CultureInfo.InvariantCulture);
            }
            if (auth.Date != amzDate.Substring(0, 8))
            {
                throw Invalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + auth.Date + "' != '" + amzDate.Substring(0, 8) + "', from '" + amzDate + "'.");
            }
            string nowText = utcNow.ToString(SigV4.AmzDateFormat, CultureInfo.InvariantCulture);
            if (requestTime < utcNow - MaxSkew)
            {
                throw Invalid("Signature expired: " + amzDate + " is now earlier than " +
                    (utcNow - MaxSkew).ToString(SigV4.AmzDateFormat, CultureInfo.InvariantCulture) + " (" + nowText + " - 15 min.)");
            }
            if (requestTime > utcNow + MaxSkew)
            {
                throw Invalid("Signature not yet current: " + amzDate + " is still later than " +
                    (utcNow + MaxSkew).ToString(SigV4.AmzDateFormat, CultureInfo.InvariantCulture) + " (" + nowText + " + 15 min.)");
            }

            string rawTarget = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
            int q = rawTarget.IndexOf('?');
            string rawPath = q < 0 ? rawTarget : rawTarget.Substring(0, q);
            string canonical = SigV4.CanonicalRequest(request.Method, SigV4.CanonicalUri(rawPath),
                SigV4.CanonicalQuery(request.QueryString.Value), auth.SignedHeaders, name => Header(request, name), SigV4.HexSha256(body));
            string scope = SigV4.Scope(auth.Date, auth.Region, auth.Service);
            string expected = SigV4.Signature(SigV4.SigningKey(credential.SecretAccessKey, auth.Date, auth.Region, auth.Service),
                SigV4.StringToSign(amzDate, scope, canonical));
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(auth.Signature.ToLowerInvariant())))
            {
                throw Invalid("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
            }

            // Temporary credentials: the session token must come with the request (signed or not).
            string? sessionToken = Header(request, "x-amz-security-token");
            if (!string.Equals(sessionToken, credential.SessionToken, StringComparison.Ordinal))
            {
                throw new CognitoServiceException(ErrorCodes.UnrecognizedClient, "The security token included in the request is invalid.");
            }
            return new SigV4Principal(credential, auth.Region, ReferenceEquals(credential, LocalCredentials.Denied));
        }

        private static CognitoServiceException Invalid(string message) =>
            new CognitoServiceException(ErrorCodes.InvalidSignature, message);

        private static string? Header(HttpRequest request, string lowerName)
        {
            if (lowerName == "host")
            {
                return request.Headers.Host.Count == 0 ? null : request.Headers.Host.ToString();
            }
            if (!request.Headers.TryGetValue(lowerName, out Microsoft.Extensions.Primitives.StringValues values) || values.Count == 0)
            {
                return null;
            }
            return string.Join(",", values.Select(v => v ?? ""));
        }

        private sealed record ParsedAuthorization(string AccessKeyId, string Date, string Region, string Service, string Terminator,
            IReadOnlyList<string> SignedHeaders, string Signature);

        private static ParsedAuthorization Parse(string authorization)
        {
            string trimmed = authorization.Trim();
            int space = trimmed.IndexOf(' ');
            string algorithm = space < 0 ? trimmed : trimmed.Substring(0, space);
            if (algorithm != SigV4.Algorithm)
            {
                throw new CognitoServiceException(ErrorCodes.IncompleteSignature, "Unsupported AWS 'algorithm': '" + Truncate(algorithm) + "'");
            }
            var parts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string piece in trimmed.Substring(space + 1).Split(','))
            {
                string p = piece.Trim();
                int eq = p.IndexOf('=');
                if (eq <= 0) continue;
                parts[p.Substring(0, eq)] = p.Substring(eq + 1);
            }
            var missing = new List<string>();
            foreach (string required in new[] { "Credential", "Signature", "SignedHeaders" })
            {
                if (!parts.ContainsKey(required) || parts[required].Length == 0)
                {
                    missing.Add("Authorization header requires '" + required + "' parameter.");
                }
            }
            if (missing.Count > 0)
            {
                throw new CognitoServiceException(ErrorCodes.IncompleteSignature, string.Join(" ", missing) + " Authorization=" + SigV4.Algorithm);
            }
            string[] credential = parts["Credential"].Split('/');
            if (credential.Length != 5 || credential.Any(c => c.Length == 0))
            {
                throw new CognitoServiceException(ErrorCodes.IncompleteSignature, "Credential should be of the form <AccessKeyId>/<date>/<region>/<service>/aws4_request.");
            }
            List<string> signed = parts["SignedHeaders"].Split(';').Select(h => h.Trim().ToLowerInvariant()).Where(h => h.Length > 0).ToList();
            return new ParsedAuthorization(credential[0], credential[1], credential[2], credential[3], credential[4], signed, parts["Signature"]);
        }

        private static string Truncate(string s) => s.Length <= 32 ? s : s.Substring(0, 32);
    }
}
