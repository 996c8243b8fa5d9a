using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Auth;
using CognitoDevice.LocalEndpoint.Sso;
using Microsoft.AspNetCore.Http;

namespace CognitoDevice.LocalEndpoint.Sts
{
    /// <summary>One call to a credential stand-in (never a secret: no key, token or code value).</summary>
    public sealed record AuthCall(string Service, string Action, int StatusCode, string? ErrorCode, string? RoleArn, string? RoleSessionName,
        string? SignedBy, string? SerialNumber, bool TokenCodeGiven, string? AccountId, string? RoleName, DateTime UtcTime);

    /// <summary>
    /// Local stand-ins for the services AWS credential chains call, on the same 127.0.0.1 port as the Cognito endpoint:
    /// AWS STS (AssumeRole, AssumeRoleWithWebIdentity; query protocol, XML), the IAM Identity Center portal
    /// (GET /federation/credentials) and a container credentials endpoint (GET /_container/credentials).
    /// Every one of them hands out <see cref="LocalCredentials.Session"/>, the temporary credential the Cognito
    /// endpoint accepts. Calls are logged (GET/DELETE /_local/auth/calls) so tests can count them.
    /// </summary>
    public sealed class AuthStandIns
    {
        /// <summary>The only web identity token AssumeRoleWithWebIdentity accepts.</summary>
        public const string WebIdentityToken = "LocalWebIdentityToken.NotForAws.0001";

        /// <summary>The only SSO access token the portal accepts (the one a test writes into ~/.aws/sso/cache).</summary>
        public const string SsoAccessToken = "LocalSsoAccessToken.NotForAws.0001";

        /// <summary>The container authorization token accepted (the header may also be absent).</summary>
        public const string ContainerAuthorizationToken = "LocalContainerAuthorization.NotForAws.0001";

        /// <summary>The MFA code AssumeRole accepts for roles whose name contains "mfa".</summary>
        public const string MfaCode = "123456";

        /// <summary>The account of every role and SSO assignment.</summary>
        public const string AccountId = "000000000000";

        private readonly object _gate = new object();
        private readonly List<AuthCall> _calls = new List<AuthCall>();
        private int _expirationSeconds = 3600;

        /// <summary>How long issued credentials live (POST /_local/auth/settings {"expirationSeconds":N}).</summary>
        public int ExpirationSeconds
        {
            get { lock (_gate) return _expirationSeconds; }
            set { lock (_gate) _expirationSeconds = value; }
        }

        public IReadOnlyList<AuthCall> Calls()
        {
            lock (_gate) return _calls.ToArray();
        }

        public void Reset()
        {
            lock (_gate)
            {
                _calls.Clear();
                _expirationSeconds = 3600;
            }
        }

        internal void Record(AuthCall call)
        {
            lock (_gate) _calls.Add(call);
        }

        internal DateTime NewExpiration() => DateTime.UtcNow.AddSeconds(ExpirationSeconds);

        /// <summary>The task that answers <paramref name="ctx"/>, or null when the request is not for a stand-in.</summary>
        public Task? TryHandle(HttpContext ctx)
        {
            string path = ctx.Request.Path.Value ?? "/";
            string method = ctx.Request.Method;
            if (path == "/_local/auth" || path.StartsWith("/_local/auth/", StringComparison.Ordinal)) return HandleControlAsync(ctx, path.TrimEnd('/'), method);
            if (method == "GET" && path == LocalSsoPortal.Path) return LocalSsoPortal.HandleAsync(this, ctx);
            if (method == "GET" && path == ContainerCredentialsPath) return HandleContainerAsync(ctx);
            string contentType = ctx.Request.ContentType ?? string.Empty;
            if (method == "POST" && path == "/" && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)) return LocalSts.HandleAsync(this, ctx);
            return null;
        }

        /// <summary>The path of the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI = base URL + this).</summary>
        public const string ContainerCredentialsPath = "/_container/credentials";

        private async Task HandleContainerAsync(HttpContext ctx)
        {
            string? authorization = ctx.Request.Headers.Authorization.Count == 0 ? null : ctx.Request.Headers.Authorization.ToString();
            if (authorization is not null && !string.Equals(authorization, ContainerAuthorizationToken, StringComparison.Ordinal))
            {
                Record(new AuthCall("container", "GetCredentials", 401, "Unauthorized", null, null, null, null, false, null, null, DateTime.UtcNow));
                await WriteAsync(ctx, 401, "application/json", "{\"code\":\"Unauthorized\",\"message\":\"The authorization token is not valid.\"}").ConfigureAwait(false);
                return;
            }
            Record(new AuthCall("container", "GetCredentials", 200, null, null, null, null, null, false, null, null, DateTime.UtcNow));
            TestCredential issued = LocalCredentials.Session;
            string body = JsonSerializer.Serialize(new Dictionary<string, string?>
            {
                ["AccessKeyId"] = issued.AccessKeyId,
                ["SecretAccessKey"] = issued.SecretAccessKey,
                ["Token"] = issued.SessionToken,
                ["Expiration"] = NewExpiration().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            });
            await WriteAsync(ctx, 200, "application/json", body).ConfigureAwait(false);
        }

        private async Task HandleControlAsync(HttpContext ctx, string path, string method)
        {
            if (path == "/_local/auth/calls" && method == "GET")
            {
                string body = JsonSerializer.Serialize(new { calls = Calls() }, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
                await WriteAsync(ctx, 200, "application/json", body).ConfigureAwait(false);
                return;
            }
            if (path == "/_local/auth/calls" && method == "DELETE")
            {
                Reset();
                await WriteAsync(ctx, 200, "application/json", "{}").ConfigureAwait(false);
                return;
            }
            if (path == "/_local/auth/settings" && method == "POST")
            {
                using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
                string text = await reader.ReadToEndAsync().ConfigureAwait(false);
                try
                {
                    using JsonDocument doc = JsonDocument.Parse(text);
                    if (doc.RootElement.TryGetProperty("expirationSeconds", out JsonElement seconds)) ExpirationSeconds = seconds.GetInt32();
                }
                catch (Exception e) when (e is JsonException || e is InvalidOperationException || e is FormatException)
                {
                    await WriteAsync(ctx, 400, "application/json", "{\"error\":\"Body must be {\\\"expirationSeconds\\\": N}.\"}").ConfigureAwait(false);
                    return;
                }
                await WriteAsync(ctx, 200, "application/json", "{\"expirationSeconds\":" + ExpirationSeconds.ToString(CultureInfo.InvariantCulture) + "}").ConfigureAwait(false);
                return;
            }
            await WriteAsync(ctx, 404, "application/json", "{\"error\":\"No auth control endpoint " + method + " " + path + ".\"}").ConfigureAwait(false);
        }

        internal static async Task WriteAsync(HttpContext ctx, int status, string contentType, string body, string? errorType = null)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = contentType;
            ctx.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString("D");
            if (errorType is not null) ctx.Response.Headers["x-amzn-ErrorType"] = errorType;
            ctx.Response.ContentLength = bytes.Length;
            await ctx.Response.Body.WriteAsync(bytes, CancellationToken.None).ConfigureAwait(false);
        }

        /// <summary>
        /// The access key that signed an STS request, when the SigV4 signature (service "sts") is valid for one of
        /// <see cref="LocalCredentials"/> and a temporary credential carries its session token; otherwise null.
        /// </summary>
        internal static TestCredential? VerifyStsSignature(HttpRequest request, byte[] body)
        {
            string? authorization = request.Headers.Authorization.Count == 0 ? null : request.Headers.Authorization.ToString();
            if (authorization is null || !authorization.StartsWith(SigV4.Algorithm + " ", StringComparison.Ordinal)) return null;
            var parts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string piece in authorization.Substring(SigV4.Algorithm.Length + 1).Split(','))
            {
                string p = piece.Trim();
                int eq = p.IndexOf('=');
                if (eq > 0) parts[p.Substring(0, eq)] = p.Substring(eq + 1);
            }
            if (!parts.TryGetValue("Credential", out string? scopeText) || !parts.TryGetValue("SignedHeaders", out string? signedText)
                || !parts.TryGetValue("Signature", out string? signature)) return null;
            string[] scope = scopeText.Split('/');
            if (scope.Length != 5 || scope[3] != "sts" || !LocalCredentials.All.TryGetValue(scope[0], out TestCredential? credential)) return null;
            string? amzDate = Header(request, "x-amz-date");
            if (amzDate is null || !amzDate.StartsWith(scope[1], StringComparison.Ordinal)) return null;
            List<string> signed = signedText.Split(';').Select(h => h.Trim().ToLowerInvariant()).Where(h => h.Length > 0).ToList();
            string canonical = SigV4.CanonicalRequest(request.Method, SigV4.CanonicalUri(request.Path.Value ?? "/"),
                SigV4.CanonicalQuery(request.QueryString.Value), signed, name => Header(request, name), SigV4.HexSha256(body));
            string expected = SigV4.Signature(SigV4.SigningKey(credential.SecretAccessKey, scope[1], scope[2], scope[3]),
                SigV4.StringToSign(amzDate, SigV4.Scope(scope[1], scope[2], scope[3]), canonical));
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.ToLowerInvariant()))) return null;
            if (!string.Equals(Header(request, "x-amz-security-token"), credential.SessionToken, StringComparison.Ordinal)) return null;
            return ReferenceEquals(credential, LocalCredentials.Denied) ? null : credential;
        }

        private static string? Header(HttpRequest request, string lowerName)
        {
            if (lowerName == "host") return request.Headers.Host.Count == 0 ? null : request.Headers.Host.ToString();
            return request.Headers.TryGetValue(lowerName, out Microsoft.Extensions.Primitives.StringValues values) && values.Count > 0
                ? string.Join(",", values.Select(v => v ?? string.Empty))
                : null;
        }
    }
}
