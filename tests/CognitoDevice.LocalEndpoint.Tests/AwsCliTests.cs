using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Tests.Infrastructure;
using Xunit;
using static CognitoDevice.LocalEndpoint.Tests.Infrastructure.ExternalTools;

namespace CognitoDevice.LocalEndpoint.Tests
{
    /// <summary>The AWS CLI (v1) against the endpoint, with --endpoint-url on 127.0.0.1 and env credentials.</summary>
    public sealed class AwsCliTests : IClassFixture<EndpointFixture>
    {
        private readonly EndpointFixture _fx;

        public AwsCliTests(EndpointFixture fx) => _fx = fx;

        private LocalCognito C => _fx.Cognito;

        private static JsonElement Json(ProcessResult r)
        {
            Assert.True(r.ExitCode == 0, "aws failed (" + r.ExitCode + "): " + r.StdErr);
            string text = r.StdOut.Trim();
            if (text.Length == 0) text = "{}";
            using JsonDocument doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }

        [AwsCliFact]
        public async Task List_and_forget_with_an_access_token()
        {
            TestUser u = _fx.NewUser(devices: 4);
            JsonElement list = Json(await AwsCliAsync(C.Url, null, "us-east-1", "list-devices", "--access-token", u.Token, "--limit", "3"));
            Assert.Equal(u.Devices.Select(d => d.DeviceKey).OrderBy(k => k, StringComparer.Ordinal).Take(3),
                list.GetProperty("Devices").EnumerateArray().Select(d => d.GetProperty("DeviceKey").GetString()));
            Assert.True(list.TryGetProperty("PaginationToken", out _));

            string key = u.Devices[2].DeviceKey;
            Json(await AwsCliAsync(C.Url, null, "us-east-1", "forget-device", "--access-token", u.Token, "--device-key", key));
            Assert.False(u.Devices[2].Exists);
        }

        [AwsCliFact]
        public async Task Admin_commands_signed_with_environment_credentials()
        {
            TestUser u = _fx.NewUser(devices: 2);
            string k0 = u.Devices[0].DeviceKey, k1 = u.Devices[1].DeviceKey;
            JsonElement list = Json(await AwsCliAsync(C.Url, C.Credentials, "us-east-1", "admin-list-devices", "--user-pool-id", u.PoolId, "--username", u.Username));
            Assert.Equal(2, list.GetProperty("Devices").GetArrayLength());

            JsonElement get = Json(await AwsCliAsync(C.Url, C.Credentials, "us-east-1", "admin-get-device", "--user-pool-id", u.PoolId, "--username", u.Username, "--device-key", k0));
            Assert.Equal(k0, get.GetProperty("Device").GetProperty("DeviceKey").GetString());

            Json(await AwsCliAsync(C.Url, C.Credentials, "us-east-1", "admin-update-device-status", "--user-pool-id", u.PoolId, "--username", u.Username,
                "--device-key", k0, "--device-remembered-status", "not_remembered"));
            Assert.Equal("not_remembered", u.Devices[0].DeviceRememberedStatus);

            Json(await AwsCliAsync(C.Url, C.SessionCredentials, "us-east-1", "admin-forget-device", "--user-pool-id", u.PoolId, "--username", u.Username, "--device-key", k1));
            Assert.False(u.Devices[1].Exists);
        }

        [AwsCliFact]
        public async Task Errors_are_reported_by_code()
        {
            TestUser u = _fx.NewUser(devices: 1);
            string expired = C.State.IssueAccessToken(u.User, TimeSpan.FromMinutes(-1));
            ProcessResult notAuthorized = await AwsCliAsync(C.Url, null, "us-east-1", "list-devices", "--access-token", expired);
            Assert.NotEqual(0, notAuthorized.ExitCode);
            // With AWS_MAX_ATTEMPTS set, botocore adds "(reached max retries: 0)" to the text.
            Assert.Matches(@"An error occurred \(NotAuthorizedException\) when calling the ListDevices operation( \(reached max retries: \d+\))?: Access Token has expired", notAuthorized.StdErr);

            ProcessResult badSecret = await AwsCliAsync(C.Url, new TestCredential(C.Credentials.AccessKeyId, "NotTheSecret", null), "us-east-1",
                "admin-list-devices", "--user-pool-id", u.PoolId, "--username", u.Username);
            Assert.NotEqual(0, badSecret.ExitCode);
            Assert.Contains("(InvalidSignatureException)", badSecret.StdErr, StringComparison.Ordinal);
            Assert.DoesNotContain("NotTheSecret", badSecret.StdErr, StringComparison.Ordinal);
        }
    }
}
