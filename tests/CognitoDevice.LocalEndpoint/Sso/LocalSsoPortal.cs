using System;
using System.Globalization;
using System.Text.Json;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Sts;
using Microsoft.AspNetCore.Http;

namespace CognitoDevice.LocalEndpoint.Sso
{
    /// <summary>
    /// IAM Identity Center portal stand-in: GetRoleCredentials (GET /federation/credentials?role_name=&amp;account_id=,
    /// bearer token in x-amz-sso_bearer_token). Only <see cref="AuthStandIns.SsoAccessToken"/> is accepted; the answer
    /// is <see cref="LocalCredentials.Session"/>.
    /// </summary>
    internal static class LocalSsoPortal
    {
        public const string Path = "/federation/credentials";

        public static async Task HandleAsync(AuthStandIns owner, HttpContext ctx)
        {
            string? roleName = ctx.Request.Query["role_name"].Count > 0 ? ctx.Request.Query["role_name"][0] : null;
            string? accountId = ctx.Request.Query["account_id"].Count > 0 ? ctx.Request.Query["account_id"][0] : null;
            string? token = ctx.Request.Headers["x-amz-sso_bearer_token"].Count > 0 ? ctx.Request.Headers["x-amz-sso_bearer_token"][0] : null;

            if (!string.Equals(token, AuthStandIns.SsoAccessToken, StringComparison.Ordinal))
            {
                owner.Record(new AuthCall("sso", "GetRoleCredentials", 401, "UnauthorizedException", null, null, null, null, false, accountId, roleName, DateTime.UtcNow));
                await AuthStandIns.WriteAsync(ctx, 401, "application/json", "{\"message\":\"Session token not found or invalid\"}", "UnauthorizedException").ConfigureAwait(false);
                return;
            }
            if (string.IsNullOrEmpty(roleName) || accountId != AuthStandIns.AccountId)
            {
                owner.Record(new AuthCall("sso", "GetRoleCredentials", 403, "ForbiddenException", null, null, null, null, false, accountId, roleName, DateTime.UtcNow));
                await AuthStandIns.WriteAsync(ctx, 403, "application/json", "{\"message\":\"No access\"}", "ForbiddenException").ConfigureAwait(false);
                return;
            }
            owner.Record(new AuthCall("sso", "GetRoleCredentials", 200, null, null, null, null, null, false, accountId, roleName, DateTime.UtcNow));
            TestCredential issued = LocalCredentials.Session;
            long expiration = new DateTimeOffset(owner.NewExpiration()).ToUnixTimeMilliseconds();
            string body = "{\"roleCredentials\":{\"accessKeyId\":" + JsonSerializer.Serialize(issued.AccessKeyId)
                + ",\"secretAccessKey\":" + JsonSerializer.Serialize(issued.SecretAccessKey)
                + ",\"sessionToken\":" + JsonSerializer.Serialize(issued.SessionToken)
                + ",\"expiration\":" + expiration.ToString(CultureInfo.InvariantCulture) + "}}";
            await AuthStandIns.WriteAsync(ctx, 200, "application/json", body).ConfigureAwait(false);
        }
    }
}
