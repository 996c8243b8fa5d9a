using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Tests.Infrastructure;
using Xunit;
using static CognitoDevice.LocalEndpoint.Tests.Infrastructure.ExternalTools;

namespace CognitoDevice.LocalEndpoint.Tests
{
    /// <summary>
    /// boto3/botocore (a real AWS client nobody here wrote) against the endpoint: request
    /// serialization, response parsing (timestamps, modeled errors), SigV4 from environment
    /// credentials, retries, HTTPS trust. Each test runs one python3 process with several calls.
    /// </summary>
    public sealed class Boto3Tests : IClassFixture<EndpointFixture>
    {
        private readonly EndpointFixture _fx;

        public Boto3Tests(EndpointFixture fx) => _fx = fx;

        private LocalCognito C => _fx.Cognito;

        private static object Creds(TestCredential c) => new Dictionary<string, string?> { ["access_key"] = c.AccessKeyId, ["secret_key"] = c.SecretAccessKey, ["token"] = c.SessionToken };

        private static object CallWith(string method, object parameters, TestCredential credential) =>
            new Dictionary<string, object> { ["method"] = method, ["params"] = parameters, ["credentials"] = Creds(credential) };

        private static void Ok(JsonElement r)
        {
            Assert.True(r.GetProperty("ok").GetBoolean(), "boto3 call failed: " + r);
            Assert.Equal(200, r.GetProperty("status").GetInt32());
        }

        private static void ModeledError(JsonElement r, string code, string? message = null)
        {
            Assert.False(r.GetProperty("ok").GetBoolean(), "expected " + code + ": " + r);
            Assert.Equal(code, r.GetProperty("code").GetString());
            Assert.Equal(code, r.GetProperty("exceptionClass").GetString()); // botocore raised the modeled exception class
            Assert.True(r.GetProperty("modeled").GetBoolean());
            if (message != null) Assert.Equal(message, r.GetProperty("message").GetString());
        }

        private static void UnmodeledError(JsonElement r, string code, string? message = null)
        {
            Assert.False(r.GetProperty("ok").GetBoolean(), "expected " + code + ": " + r);
            Assert.Equal(code, r.GetProperty("code").GetString());
            Assert.Equal("ClientError", r.GetProperty("exceptionClass").GetString());
            if (message != null) Assert.Equal(message, r.GetProperty("message").GetString());
        }

        private static void AnyError(JsonElement r, string code, string message)
        {
            Assert.False(r.GetProperty("ok").GetBoolean(), "expected " + code + ": " + r);
            Assert.Equal(code, r.GetProperty("code").GetString());
            Assert.Equal(message, r.GetProperty("message").GetString());
        }

        private static DateTime Parsed(JsonElement e) =>
            DateTime.Parse(e.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        [Boto3Fact]
        public async Task ListDevices_with_a_token_parses_devices_dates_and_pages()
        {
            TestUser u = _fx.NewUser(devices: 12);
            IReadOnlyList<JsonElement> r = await Boto3Async(C.Url, credential: null, new[]
            {
                Call("list_devices", new { AccessToken = u.Token }),
                Call("__paginate_list_devices", new { AccessToken = u.Token, Limit = 5 }),
            });
            Ok(r[0]);
            JsonElement[] devices = r[0].GetProperty("response").GetProperty("Devices").EnumerateArray().ToArray();
            Assert.Equal(10, devices.Length); // default page size
            Assert.True(r[0].GetProperty("response").TryGetProperty("PaginationToken", out _));
            IReadOnlyList<StoredDevice> stored = C.State.Devices(u.User);
            for (int i = 0; i < devices.Length; i++)
            {
                Assert.Equal(stored[i].DeviceKey, devices[i].GetProperty("DeviceKey").GetString());
                Assert.Equal(stored[i].DeviceCreateDate, Parsed(devices[i].GetProperty("DeviceCreateDate")));
                Assert.Equal(stored[i].DeviceLastModifiedDate, Parsed(devices[i].GetProperty("DeviceLastModifiedDate")));
                Assert.Equal(stored[i].DeviceLastAuthenticatedDate, Parsed(devices[i].GetProperty("DeviceLastAuthenticatedDate")));
                var attrs = devices[i].GetProperty("DeviceAttributes").EnumerateArray().ToDictionary(a => a.GetProperty("Name").GetString()!, a => a.GetProperty("Value").GetString());
                Assert.Equal(stored[i].DeviceName, attrs["device_name"]);
            }
            int[] pageSizes = r[1].GetProperty("pages").EnumerateArray().Select(p => p.GetArrayLength()).ToArray();
            Assert.Equal(new[] { 5, 5, 2 }, pageSizes);
            Assert.Equal(stored.Select(d => d.DeviceKey), r[1].GetProperty("pages").EnumerateArray().SelectMany(p => p.EnumerateArray()).Select(k => k.GetString()));
            // Token operations are unsigned (auth type none): no Authorization header was sent.
            Assert.All(C.Requests.Snapshot().Where(x => x.Body.Contains(u.Token, StringComparison.Ordinal)), x => Assert.False(x.Headers.ContainsKey("Authorization")));
        }

        [Boto3Fact]
        public async Task Token_operations_get_update_forget()
        {
            TestUser u = _fx.NewUser(devices: 2);
            string key = u.Devices[0].DeviceKey;
            IReadOnlyList<JsonElement> r = await Boto3Async(C.Url, credential: null, new[]
            {
                Call("get_device", new { AccessToken = u.Token, DeviceKey = key }),
                Call("update_device_status", new { AccessToken = u.Token, DeviceKey = key, DeviceRememberedStatus = "not_remembered" }),
                Call("forget_device", new { AccessToken = u.Token, DeviceKey = u.Devices[1].DeviceKey }),
                Call("get_device", new { AccessToken = u.Token, DeviceKey = u.Devices[1].DeviceKey }),
            });
            Ok(r[0]);
            Assert.Equal(key, r[0].GetProperty("response").GetProperty("Device").GetProperty("DeviceKey").GetString());
            Ok(r[1]);
            Assert.Equal("not_remembered", u.Devices[0].DeviceRememberedStatus);
            Ok(r[2]);
            Assert.False(u.Devices[1].Exists);
            ModeledError(r[3], "ResourceNotFoundException", "Device does not exist.");
        }

        [Boto3Fact]
        public async Task Admin_operations_signed_with_environment_credentials()
        {
            TestUser u = _fx.NewUser(devices: 3);
            string[] keys = u.Devices.Select(d => d.DeviceKey).ToArray();
            IReadOnlyList<JsonElement> r = await Boto3Async(C.Url, C.Credentials, new[]
            {
                Call("admin_list_devices", new { UserPoolId = u.PoolId, Username = u.Username, Limit = 2 }),
                Call("admin_get_device", new { UserPoolId = u.PoolId, Username = u.Username, DeviceKey = keys[0] }),
                Call("admin_update_device_status", new { UserPoolId = u.PoolId, Username = u.Username, DeviceKey = keys[0], DeviceRememberedStatus = "not_remembered" }),
                Call("admin_forget_device", new { UserPoolId = u.PoolId, Username = u.Username, DeviceKey = keys[1] }),
                Call("admin_list_devices", new { UserPoolId = u.PoolId, Username = u.Username }),
            });
            Ok(r[0]);
            Assert.Equal(2, r[0].GetProperty("response").GetProperty("Devices").GetArrayLength());
            Assert.True(r[0].GetProperty("response").TryGetProperty("PaginationToken", out _));
            Ok(r[1]);
            Assert.Equal(keys[0], r[1].GetProperty("response").GetProperty("Device").GetProperty("DeviceKey").GetString());
            Ok(r[2]);
            Assert.Equal("not_remembered", u.Devices[0].DeviceRememberedStatus);
            Ok(r[3]);
            Assert.False(u.Devices[1].Exists);
            Ok(r[4]);
            Assert.Equal(2, r[4].GetProperty("response").GetProperty("Devices").GetArrayLength());

            RecordedRequest signed = C.Requests.Snapshot().Last(x => x.Operation == "AdminListDevices" && x.Body.Contains(u.PoolId, StringComparison.Ordinal));
            Assert.StartsWith("AWS4-HMAC-SHA256 Credential=" + C.Credentials.AccessKeyId + "/", signed.Headers["Authorization"], StringComparison.Ordinal);
            Assert.Contains("/us-east-1/cognito-idp/aws4_request", signed.Headers["Authorization"], StringComparison.Ordinal);
            Assert.True(signed.Headers.ContainsKey("X-Amz-Date"));
            Assert.False(signed.Headers.ContainsKey("X-Amz-Security-Token"));
        }

        [Boto3Fact]
        public async Task Admin_with_session_credentials_from_the_environment()
        {
            TestUser u = _fx.NewUser(devices: 1);
            IReadOnlyList<JsonElement> r = await Boto3Async(C.Url, C.SessionCredentials, new[]
            {
                Call("admin_list_devices", new { UserPoolId = u.PoolId, Username = u.Username }),
                CallWith("admin_list_devices", new { UserPoolId = u.PoolId, Username = u.Username }, C.SessionCredentials with { SessionToken = "wrong-token" }),
            }, region: "eu-west-1");
            Ok(r[0]);
            UnmodeledError(r[1], "UnrecognizedClientException", "The security token included in the request is invalid.");
            RecordedRequest signed = C.Requests.Snapshot().First(x => x.Operation == "AdminListDevices" && x.Body.Contains(u.PoolId, StringComparison.Ordinal));
            Assert.Equal("<redacted>", signed.Headers["X-Amz-Security-Token"]);
            Assert.Contains("x-amz-security-token", signed.Headers["Authorization"], StringComparison.Ordinal);
            Assert.Contains("/eu-west-1/cognito-idp/aws4_request", signed.Headers["Authorization"], StringComparison.Ordinal);
        }

        [Boto3Fact]
        public async Task Modeled_errors_are_parsed_by_botocore()
        {
            TestUser u = _fx.NewUser(devices: 1);
            string expired = C.State.IssueAccessToken(u.User, TimeSpan.FromSeconds(-30));
            TestUser throttled = _fx.NewUser(devices: 1);
            C.Faults.Add(FaultRule.Throttle(deviceKey: throttled.Devices[0].DeviceKey));
            IReadOnlyList<JsonElement> r = await Boto3Async(C.Url, C.Credentials, new[]
            {
                Call("list_devices", new { AccessToken = expired }),
                Call("get_device", new { AccessToken = u.Token, DeviceKey = "us-east-1_00000000-0000-4000-8000-000000000000" }),
                Call("admin_get_device", new { UserPoolId = u.PoolId, Username = "nobody", DeviceKey = u.Devices[0].DeviceKey }),
                Call("admin_list_devices", new { UserPoolId = "us-east-1_Missing", Username = u.Username }),
                Call("get_device", new { AccessToken = u.Token, DeviceKey = "xyz" }),
                Call("get_device", new { AccessToken = throttled.Token, DeviceKey = throttled.Devices[0].DeviceKey }),
                Call("list_devices", new { AccessToken = u.Token, Limit = 61 }),
            });
            ModeledError(r[0], "NotAuthorizedException", "Access Token has expired");
            ModeledError(r[1], "ResourceNotFoundException", "Device does not exist.");
            ModeledError(r[2], "UserNotFoundException", "User does not exist.");
            ModeledError(r[3], "ResourceNotFoundException", "User pool us-east-1_Missing does not exist.");
            ModeledError(r[4], "InvalidParameterException",
                "1 validation error detected: Value 'xyz' at 'deviceKey' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-f-]+");
            ModeledError(r[5], "TooManyRequestsException", "Rate exceeded");
            Assert.Equal(0, r[5].GetProperty("retryAttempts").GetInt32());
            ModeledError(r[6], "InvalidParameterException");
            Assert.Equal(400, r[0].GetProperty("status").GetInt32());
        }

        [Boto3Fact]
        public async Task Signature_errors_from_botocore_signed_requests()
        {
            TestUser u = _fx.NewUser(devices: 1);
            object body = new { UserPoolId = u.PoolId, Username = u.Username };
            IReadOnlyList<JsonElement> r = await Boto3Async(C.Url, C.Credentials, new[]
            {
                CallWith("admin_list_devices", body, new TestCredential(C.Credentials.AccessKeyId, "NotTheSecret/000000000000000000000000000", null)),
                CallWith("admin_list_devices", body, new TestCredential("AKIDNOBODYKNOWS0", "whatever", null)),
                CallWith("admin_list_devices", body, C.DeniedCredentials),
            });
            UnmodeledError(r[0], "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
            UnmodeledError(r[1], "UnrecognizedClientException", "The security token included in the request is invalid.");
            AnyError(r[2], "AccessDeniedException",
                "User: arn:aws:iam::000000000000:user/denied is not authorized to perform: cognito-idp:AdminListDevices on resource: arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + u.PoolId);
        }

        [Boto3Fact]
        public async Task Botocore_retries_throttling_on_a_reused_connection()
        {
            TestUser u = _fx.NewUser(devices: 1);
            C.Faults.Add(FaultRule.Throttle(count: 2, deviceKey: u.Devices[0].DeviceKey));
            IReadOnlyList<JsonElement> r = await Boto3Async(C.Url, null, new[]
            {
                Call("get_device", new { AccessToken = u.Token, DeviceKey = u.Devices[0].DeviceKey }),
            }, maxAttempts: 3);
            Ok(r[0]);
            Assert.Equal(2, r[0].GetProperty("retryAttempts").GetInt32());
            List<RecordedRequest> attempts = C.Requests.Snapshot().Where(x => x.Body.Contains(u.Devices[0].DeviceKey, StringComparison.Ordinal)).ToList();
            Assert.Equal(new[] { 400, 400, 200 }, attempts.Select(a => a.StatusCode));
            Assert.Single(attempts.Select(a => a.ConnectionId).Distinct()); // keep-alive: one TCP connection
        }

        [Boto3Fact]
        public async Task Botocore_sigv4_signature_equals_ours()
        {
            string url = C.Url.GetLeftPart(UriPartial.Authority) + "/";
            string body = "{\"UserPoolId\":\"us-east-1_Abc\",\"Username\":\"alice\"}";
            const string target = "AWSCognitoIdentityProviderService.AdminListDevices";
            var calls = new List<object>();
            foreach (TestCredential c in new[] { C.Credentials, C.SessionCredentials })
            {
                calls.Add(Call("__sign", new Dictionary<string, string?>
                {
                    ["url"] = url, ["body"] = body, ["target"] = target, ["region"] = "ap-southeast-2",
                    ["access_key"] = c.AccessKeyId, ["secret_key"] = c.SecretAccessKey, ["token"] = c.SessionToken,
                }));
            }
            IReadOnlyList<JsonElement> r = await Boto3Async(C.Url, null, calls);
            TestCredential[] creds = { C.Credentials, C.SessionCredentials };
            for (int i = 0; i < 2; i++)
            {
                string amzDate = r[i].GetProperty("amzDate").GetString()!;
                var headers = new Dictionary<string, string>
                {
                    ["content-type"] = Api.JsonContentType,
                    ["host"] = C.Url.Authority,
                    ["x-amz-date"] = amzDate,
                    ["x-amz-target"] = target,
                };
                if (creds[i].SessionToken != null) headers["x-amz-security-token"] = creds[i].SessionToken!;
                string ours = SigV4.Authorization("POST", "/", "", headers, Encoding.UTF8.GetBytes(body), creds[i], "ap-southeast-2", amzDate);
                Assert.Equal(r[i].GetProperty("authorization").GetString(), ours);
            }
        }

        [Boto3Fact]
        public async Task Exponent_timestamps_and_empty_bodies_parse_in_botocore()
        {
            await using LocalCognito cognito = await LocalCognito.StartAsync(new LocalCognitoOptions { ExponentTimestamps = true, EmptyBodyForNoOutput = true });
            TestUser u = TestUser.Create(cognito, devices: 3);
            IReadOnlyList<JsonElement> r = await Boto3Async(cognito.Url, cognito.Credentials, new[]
            {
                Call("get_device", new { AccessToken = u.Token, DeviceKey = u.Devices[0].DeviceKey }),
                Call("forget_device", new { AccessToken = u.Token, DeviceKey = u.Devices[1].DeviceKey }),
                Call("admin_forget_device", new { UserPoolId = u.PoolId, Username = u.Username, DeviceKey = u.Devices[2].DeviceKey }),
            });
            Ok(r[0]);
            JsonElement device = r[0].GetProperty("response").GetProperty("Device");
            Assert.Equal(u.Devices[0].DeviceCreateDate, Parsed(device.GetProperty("DeviceCreateDate")));
            Assert.Equal(u.Devices[0].DeviceLastAuthenticatedDate, Parsed(device.GetProperty("DeviceLastAuthenticatedDate")));
            Ok(r[1]);
            Ok(r[2]);
            Assert.False(u.Devices[1].Exists);
            Assert.False(u.Devices[2].Exists);
        }

        [Boto3Fact]
        public async Task Https_needs_the_certificate_to_be_trusted()
        {
            await using LocalCognito cognito = await LocalCognito.StartAsync(new LocalCognitoOptions { UseHttps = true });
            TestUser u = TestUser.Create(cognito, devices: 2);
            string pem = Path.Combine(Path.GetTempPath(), "cognito-local-" + Guid.NewGuid().ToString("N") + ".pem");
            await File.WriteAllTextAsync(pem, cognito.Certificate!.ExportCertificatePem());
            try
            {
                IReadOnlyList<JsonElement> trusted = await Boto3Async(cognito.Url, null, new[] { Call("list_devices", new { AccessToken = u.Token }) }, verify: pem);
                Ok(trusted[0]);
                Assert.Equal(2, trusted[0].GetProperty("response").GetProperty("Devices").GetArrayLength());
                IReadOnlyList<JsonElement> untrusted = await Boto3Async(cognito.Url, null, new[] { Call("list_devices", new { AccessToken = u.Token }) });
                Assert.False(untrusted[0].GetProperty("ok").GetBoolean());
                Assert.Equal("SSLError", untrusted[0].GetProperty("exceptionClass").GetString());
            }
            finally
            {
                File.Delete(pem);
            }
        }

        [Boto3Fact]
        public async Task Transport_faults_as_botocore_sees_them()
        {
            TestUser u = _fx.NewUser(devices: 3);
            C.Faults.Add(FaultRule.GarbageBody(deviceKey: u.Devices[0].DeviceKey));
            C.Faults.Add(FaultRule.Status(502, "<html>Bad Gateway</html>", "text/html", deviceKey: u.Devices[1].DeviceKey));
            C.Faults.Add(FaultRule.DropBeforeProcessing(deviceKey: u.Devices[2].DeviceKey));
            IReadOnlyList<JsonElement> r = await Boto3Async(C.Url, null, new[]
            {
                Call("get_device", new { AccessToken = u.Token, DeviceKey = u.Devices[0].DeviceKey }),
                Call("get_device", new { AccessToken = u.Token, DeviceKey = u.Devices[1].DeviceKey }),
                Call("forget_device", new { AccessToken = u.Token, DeviceKey = u.Devices[2].DeviceKey }),
            });
            // botocore tolerates a non-JSON 200 body: the call "succeeds" with no Device in it.
            Assert.True(r[0].GetProperty("ok").GetBoolean(), r[0].ToString());
            Assert.False(r[0].GetProperty("response").TryGetProperty("Device", out _));
            Assert.False(r[1].GetProperty("ok").GetBoolean());
            Assert.Equal(502, r[1].GetProperty("status").GetInt32());
            Assert.Equal("502", r[1].GetProperty("code").GetString());
            Assert.False(r[2].GetProperty("ok").GetBoolean());
            Assert.NotEqual("ClientError", r[2].GetProperty("exceptionClass").GetString());
            Assert.True(u.Devices[2].Exists);
        }
    }
}
