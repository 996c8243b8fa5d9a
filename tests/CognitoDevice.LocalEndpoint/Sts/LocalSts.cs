using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace CognitoDevice.LocalEndpoint.Sts
{
    /// <summary>
    /// AWS STS stand-in (query protocol, version 2011-06-15): AssumeRole signed with a local credential (SigV4,
    /// service "sts"), and AssumeRoleWithWebIdentity with <see cref="AuthStandIns.WebIdentityToken"/>. A role whose
    /// name contains "denied" is refused (AccessDenied); one whose name contains "mfa" needs SerialNumber and
    /// TokenCode <see cref="AuthStandIns.MfaCode"/>.
    /// </summary>
    internal static class LocalSts
    {
        private const string Namespace = "https://sts.amazonaws.com/doc/2011-06-15/";

        public static async Task HandleAsync(AuthStandIns owner, HttpContext ctx)
        {
            byte[] body;
            using (var buffer = new MemoryStream())
            {
                await ctx.Request.Body.CopyToAsync(buffer).ConfigureAwait(false);
                body = buffer.ToArray();
            }
            Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form = QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(body));
            string? Get(string name) => form.TryGetValue(name, out Microsoft.Extensions.Primitives.StringValues v) && v.Count > 0 ? v[0] : null;

            string action = Get("Action") ?? string.Empty;
            string? roleArn = Get("RoleArn");
            string? sessionName = Get("RoleSessionName");
            string? serial = Get("SerialNumber");
            bool tokenCodeGiven = Get("TokenCode") is not null;
            TestCredential? signer = null;

            (int Status, string? Code, string Message) failure = (0, null, string.Empty);
            switch (action)
            {
                case "AssumeRole":
                    signer = AuthStandIns.VerifyStsSignature(ctx.Request, body);
                    if (signer is null) failure = (403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
                    else failure = CheckRole(roleArn, sessionName);
                    if (failure.Code is null && RoleName(roleArn).IndexOf("mfa", StringComparison.OrdinalIgnoreCase) >= 0
                        && (serial is null || Get("TokenCode") != AuthStandIns.MfaCode))
                    {
                        failure = (403, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.");
                    }
                    break;
                case "AssumeRoleWithWebIdentity":
                    failure = CheckRole(roleArn, sessionName);
                    if (failure.Code is null && Get("WebIdentityToken") != AuthStandIns.WebIdentityToken)
                    {
                        failure = (400, "InvalidIdentityToken", "The web identity token that was passed could not be validated by AWS.");
                    }
                    break;
                default:
                    failure = (400, "InvalidAction", "Could not find operation " + action + " for version 2011-06-15");
                    break;
            }

            owner.Record(new AuthCall("sts", action, failure.Code is null ? 200 : failure.Status, failure.Code, roleArn, sessionName, signer?.AccessKeyId,
                serial, tokenCodeGiven, null, null, DateTime.UtcNow));
            if (failure.Code is not null)
            {
                string error = "<ErrorResponse xmlns=\"" + Namespace + "\"><Error><Type>Sender</Type><Code>" + failure.Code + "</Code><Message>"
                    + SecurityElement.Escape(failure.Message) + "</Message></Error><RequestId>" + Guid.NewGuid().ToString("D") + "</RequestId></ErrorResponse>";
                await AuthStandIns.WriteAsync(ctx, failure.Status, "text/xml", error).ConfigureAwait(false);
                return;
            }

            TestCredential issued = LocalCredentials.Session;
            string expiration = owner.NewExpiration().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            string assumedArn = "arn:aws:sts::" + AuthStandIns.AccountId + ":assumed-role/" + RoleName(roleArn) + "/" + sessionName;
            string result =
                "<" + action + "Response xmlns=\"" + Namespace + "\"><" + action + "Result>"
                + (action == "AssumeRoleWithWebIdentity" ? "<SubjectFromWebIdentityToken>local-subject</SubjectFromWebIdentityToken><Audience>sts.amazonaws.com</Audience><Provider>local.example</Provider>" : string.Empty)
                + "<AssumedRoleUser><AssumedRoleId>AROALOCALROLE:" + SecurityElement.Escape(sessionName) + "</AssumedRoleId><Arn>" + SecurityElement.Escape(assumedArn) + "</Arn></AssumedRoleUser>"
                + "<Credentials><AccessKeyId>" + issued.AccessKeyId + "</AccessKeyId><SecretAccessKey>" + SecurityElement.Escape(issued.SecretAccessKey)
                + "</SecretAccessKey><SessionToken>" + SecurityElement.Escape(issued.SessionToken) + "</SessionToken><Expiration>" + expiration + "</Expiration></Credentials>"
                + "</" + action + "Result><ResponseMetadata><RequestId>" + Guid.NewGuid().ToString("D") + "</RequestId></ResponseMetadata></" + action + "Response>";
            await AuthStandIns.WriteAsync(ctx, 200, "text/xml", result).ConfigureAwait(false);
        }

        private static (int, string?, string) CheckRole(string? roleArn, string? sessionName)
        {
            if (string.IsNullOrEmpty(roleArn) || !roleArn.StartsWith("arn:aws:iam::", StringComparison.Ordinal) || roleArn.IndexOf(":role/", StringComparison.Ordinal) < 0)
            {
                return (400, "ValidationError", "1 validation error detected: Value at 'roleArn' failed to satisfy constraint.");
            }
            if (string.IsNullOrEmpty(sessionName))
            {
                return (400, "ValidationError", "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint.");
            }
            if (RoleName(roleArn).IndexOf("denied", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return (403, "AccessDenied", "User is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
            }
            return (0, null, string.Empty);
        }

        private static string RoleName(string? roleArn)
        {
            if (roleArn is null) return string.Empty;
            int slash = roleArn.LastIndexOf('/');
            return slash < 0 ? roleArn : roleArn.Substring(slash + 1);
        }
    }
}
