using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Errors;
using CognitoDevice.LocalEndpoint;
using CognitoDevice.Operations;
using Xunit;

namespace CognitoDevice.Tests.EndToEnd
{
    /// <summary>Both parameter sets end to end over real HTTP: the module's client against the local Cognito endpoint.</summary>
    public sealed class DeviceSessionTests : IClassFixture<EndpointFixture>
    {
        private readonly LocalCognito _cognito;

        public DeviceSessionTests(EndpointFixture fixture) => _cognito = fixture.Cognito;

        [Fact]
        public async Task ForgetDevice_with_an_access_token_forgets_the_device()
        {
            var s = new Scenario(_cognito);
            string key = s.Devices[0].DeviceKey;
            ForgottenDevice result = await s.Session().ForgetDeviceAsync(s.TokenTarget(key), s.VerboseSink, CancellationToken.None);

            Assert.Equal(key, result.DeviceKey);
            Assert.Equal("us-east-1", result.Region);
            Assert.Null(result.UserPoolId);
            Assert.Null(_cognito.State.FindDevice(s.User, key));
            Assert.Equal(2, _cognito.State.Devices(s.User).Count);
            Assert.Contains(s.Verbose, m => m.Contains("us-east-1 (from the access token's issuer)"));
            RecordedRequest request = _cognito.Requests.Snapshot().Last(r => r.Body.Contains(key));
            Assert.Equal("ForgetDevice", request.Operation);
            Assert.False(request.Headers.ContainsKey("Authorization"));
            Assert.StartsWith("CognitoDevice/", request.Headers["User-Agent"]);
            Assert.Equal("application/x-amz-json-1.1", request.Headers["Content-Type"]);
        }

        [Fact]
        public async Task AdminForgetDevice_is_SigV4_signed_by_AWSSDK_Core_and_accepted_by_an_independent_verifier()
        {
            var s = new Scenario(_cognito, region: "eu-west-1");
            string key = s.Devices[1].DeviceKey;
            ForgottenDevice result = await s.Session(admin: true).ForgetDeviceAsync(s.AdminTarget(key), s.VerboseSink, CancellationToken.None);

            Assert.Equal((key, "eu-west-1", s.Pool.Id, s.User.Username), (result.DeviceKey, result.Region, result.UserPoolId, result.Username));
            Assert.Null(_cognito.State.FindDevice(s.User, key));
            Assert.Contains(s.Verbose, m => m.Contains("eu-west-1 (from the user pool ID)"));
            RecordedRequest request = _cognito.Requests.Snapshot().Last(r => r.Body.Contains(key));
            Assert.Equal("AdminForgetDevice", request.Operation);
            Assert.StartsWith("AWS4-HMAC-SHA256 Credential=" + _cognito.Credentials.AccessKeyId + "/", request.Headers["Authorization"]);
            Assert.Contains("/eu-west-1/cognito-idp/aws4_request", request.Headers["Authorization"]);
        }

        [Fact]
        public async Task Admin_calls_with_a_session_token_carry_it()
        {
            var s = new Scenario(_cognito);
            await s.Session(admin: true, credential: _cognito.SessionCredentials).ForgetDeviceAsync(s.AdminTarget(s.Devices[0].DeviceKey), null, CancellationToken.None);
            Assert.Null(_cognito.State.FindDevice(s.User, s.Devices[0].DeviceKey));
        }

        [Fact]
        public async Task Wrong_secret_is_InvalidSignatureException_and_denied_is_AccessDenied()
        {
            var s = new Scenario(_cognito);
            var wrong = new TestCredential(_cognito.Credentials.AccessKeyId, "not-the-secret-at-all-0123456789", null);
            var ex = await Assert.ThrowsAsync<CognitoDeviceException>(() => s.Session(admin: true, credential: wrong).ForgetDeviceAsync(s.AdminTarget(s.Devices[0].DeviceKey), null, CancellationToken.None));
            Assert.Equal("InvalidSignatureException", ex.ErrorCode);
            Assert.Equal("AuthenticationError", ErrorCatalog.KindOf(ex.ErrorCode).ToString());
            var denied = await Assert.ThrowsAsync<CognitoDeviceException>(() => s.Session(admin: true, credential: _cognito.DeniedCredentials).ForgetDeviceAsync(s.AdminTarget(s.Devices[0].DeviceKey), null, CancellationToken.None));
            Assert.Equal("AccessDeniedException", denied.ErrorCode);
            Assert.Equal("PermissionDenied", ErrorCatalog.KindOf(denied.ErrorCode).ToString());
            Assert.NotNull(_cognito.State.FindDevice(s.User, s.Devices[0].DeviceKey));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task A_missing_device_is_ResourceNotFoundException_with_request_id(bool admin)
        {
            var s = new Scenario(_cognito);
            string missing = "us-east-1_00000000-0000-0000-0000-000000000000";
            var target = admin ? s.AdminTarget(missing) : s.TokenTarget(missing);
            var ex = await Assert.ThrowsAsync<ResourceNotFoundException>(() => s.Session(admin).ForgetDeviceAsync(target, null, CancellationToken.None));
            Assert.Equal(400, ex.StatusCode);
            Assert.False(string.IsNullOrEmpty(ex.RequestId));
            Assert.Equal(admin ? "AdminForgetDevice" : "ForgetDevice", ex.Operation);
            Assert.Equal("Device does not exist.", ex.Message);
        }

        [Fact]
        public async Task Token_errors_are_typed()
        {
            var s = new Scenario(_cognito);
            string key = s.Devices[0].DeviceKey;
            string expiredToken = _cognito.State.IssueAccessToken(s.User, TimeSpan.FromSeconds(-5));
            var ex = await Assert.ThrowsAsync<NotAuthorizedException>(() =>
                new DeviceSessionFactory(_cognito, expiredToken).ForgetDeviceAsync(new DeviceTarget(key, null, null), null, CancellationToken.None));
            Assert.Contains("expired", ex.Message);

            var unconfirmed = _cognito.State.CreateUser(s.Pool, "u2-" + Guid.NewGuid().ToString("N").Substring(0, 6), UserState.Unconfirmed);
            await Assert.ThrowsAsync<UserNotConfirmedException>(() =>
                new DeviceSessionFactory(_cognito, _cognito.State.IssueAccessToken(unconfirmed)).ForgetDeviceAsync(new DeviceTarget(key, null, null), null, CancellationToken.None));
            var reset = _cognito.State.CreateUser(s.Pool, "u3-" + Guid.NewGuid().ToString("N").Substring(0, 6), UserState.ResetRequired);
            await Assert.ThrowsAsync<PasswordResetRequiredException>(() =>
                new DeviceSessionFactory(_cognito, _cognito.State.IssueAccessToken(reset)).ForgetDeviceAsync(new DeviceTarget(key, null, null), null, CancellationToken.None));
        }

        [Fact]
        public async Task Pool_configuration_errors_are_typed()
        {
            var s = new Scenario(_cognito);
            s.Pool.DeviceTrackingEnabled = false;
            await Assert.ThrowsAsync<InvalidUserPoolConfigurationException>(() => s.Session().ForgetDeviceAsync(s.TokenTarget(s.Devices[0].DeviceKey), null, CancellationToken.None));
            s.Pool.DeviceTrackingEnabled = true;
            s.Pool.WafBlocksRequests = true;
            await Assert.ThrowsAsync<ForbiddenException>(() => s.Session().ForgetDeviceAsync(s.TokenTarget(s.Devices[0].DeviceKey), null, CancellationToken.None));
            await Assert.ThrowsAsync<UserNotFoundException>(() => s.Session(admin: true).ForgetDeviceAsync(new DeviceTarget(s.Devices[0].DeviceKey, s.Pool.Id, "nobody"), null, CancellationToken.None));
        }

        [Fact]
        public async Task Many_records_share_one_connection()
        {
            await using var cognito = await LocalCognito.StartAsync();
            var s = new Scenario(cognito, devices: 40);
            var session = s.Session();
            foreach (StoredDevice d in s.Devices) await session.ForgetDeviceAsync(s.TokenTarget(d.DeviceKey), null, CancellationToken.None);
            // A second invocation (a new session, as a new cmdlet call makes) still uses the module's pool.
            var admin = new Scenario(cognito, devices: 10);
            foreach (StoredDevice d in admin.Devices) await admin.Session(admin: true).ForgetDeviceAsync(admin.AdminTarget(d.DeviceKey), null, CancellationToken.None);
            var log = cognito.Requests.Snapshot();
            Assert.Equal(50, log.Count);
            Assert.Single(log.Select(r => r.ConnectionId).Distinct());
            Assert.Empty(cognito.State.Devices(s.User));
        }

        [Fact]
        public async Task A_retry_after_a_lost_answer_that_finds_the_device_gone_counts_as_forgotten()
        {
            var s = new Scenario(_cognito);
            string key = s.Devices[0].DeviceKey;
            _cognito.Faults.Add(FaultRule.DropAfterProcessing(1, "ForgetDevice", key));
            ForgottenDevice result = await s.Session().ForgetDeviceAsync(s.TokenTarget(key), s.VerboseSink, CancellationToken.None);
            Assert.Equal(key, result.DeviceKey);
            Assert.Null(_cognito.State.FindDevice(s.User, key));
            Assert.Contains(s.Verbose, m => m.Contains("already gone on retry"));
        }

        [Fact]
        public async Task A_per_record_region_is_resolved_per_record_although_resolution_is_cached()
        {
            // Piped device objects bind -Region per record; the session caches resolution per distinct input.
            var s = new Scenario(_cognito, devices: 3, region: "eu-central-1");
            var session = s.Session();
            ForgottenDevice a = await session.ForgetDeviceAsync(new DeviceTarget(s.Devices[0].DeviceKey, null, null, "ap-south-1"), s.VerboseSink, CancellationToken.None);
            ForgottenDevice b = await session.ForgetDeviceAsync(new DeviceTarget(s.Devices[1].DeviceKey, null, null, null), s.VerboseSink, CancellationToken.None);
            ForgottenDevice c = await session.ForgetDeviceAsync(new DeviceTarget(s.Devices[2].DeviceKey, null, null, "ap-south-1"), s.VerboseSink, CancellationToken.None);
            Assert.Equal(new[] { "ap-south-1", "eu-central-1", "ap-south-1" }, new[] { a.Region, b.Region, c.Region });
            Assert.Equal(2, s.Verbose.Count(m => m.StartsWith("Region ", StringComparison.Ordinal))); // announced once per region
        }

        [Fact]
        public async Task Empty_and_exponent_answers_are_read()
        {
            await using var cognito = await LocalCognito.StartAsync(new LocalCognitoOptions { EmptyBodyForNoOutput = true, ExponentTimestamps = true });
            var s = new Scenario(cognito, devices: 2);
            Device d = await s.Session().GetDeviceAsync(s.TokenTarget(s.Devices[0].DeviceKey), null, CancellationToken.None);
            Assert.Equal(s.Devices[0].DeviceLastAuthenticatedDate, d.LastAuthenticatedDate);
            await s.Session().ForgetDeviceAsync(s.TokenTarget(s.Devices[0].DeviceKey), null, CancellationToken.None);
            Assert.Null(cognito.State.FindDevice(s.User, s.Devices[0].DeviceKey));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task GetDevice_returns_the_typed_device(bool admin)
        {
            var s = new Scenario(_cognito, region: "ap-southeast-2");
            StoredDevice stored = s.Devices[2];
            Device d = await s.Session(admin).GetDeviceAsync(admin ? s.AdminTarget(stored.DeviceKey) : s.TokenTarget(stored.DeviceKey), null, CancellationToken.None);
            Assert.Equal(stored.DeviceKey, d.DeviceKey);
            Assert.Equal(stored.DeviceName, d.DeviceName);
            Assert.Equal(stored.LastIpUsed, d.LastIpUsed);
            Assert.Equal("valid", d.Status);
            Assert.Equal(stored.DeviceRememberedStatus, d.RememberedStatus);
            Assert.Equal(stored.DeviceCreateDate, d.CreateDate);
            Assert.Equal(stored.DeviceLastModifiedDate, d.LastModifiedDate);
            Assert.Equal(stored.DeviceLastAuthenticatedDate, d.LastAuthenticatedDate);
            Assert.Equal(DateTimeKind.Utc, d.LastAuthenticatedDate!.Value.Kind);
            Assert.Equal("ap-southeast-2", d.Region);
            Assert.Equal(admin ? s.Pool.Id : null, d.UserPoolId);
            Assert.Equal(admin ? s.User.Username : null, d.Username);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task UpdateDeviceStatus_sets_the_remembered_status(bool admin)
        {
            var s = new Scenario(_cognito);
            StoredDevice stored = s.Devices[0];
            string target = stored.Remembered ? "not_remembered" : "remembered";
            var change = await s.Session(admin).UpdateDeviceStatusAsync(admin ? s.AdminTarget(stored.DeviceKey) : s.TokenTarget(stored.DeviceKey), target, null, CancellationToken.None);
            Assert.Equal(target, change.RememberedStatus);
            Assert.Equal(target, _cognito.State.FindDevice(s.User, stored.DeviceKey)!.DeviceRememberedStatus);
        }

        [Theory]
        [InlineData(0, false)]
        [InlineData(1, true)]
        [InlineData(60, false)]
        [InlineData(61, true)]
        [InlineData(1000, true)]
        public async Task Listing_pages_through_every_device(int count, bool admin)
        {
            var s = new Scenario(_cognito, devices: count);
            var session = s.Session(admin);
            int pages = 0;
            var listed = DevicePager.Enumerate(token =>
            {
                pages++;
                return session.ListDevicesPageAsync(null, admin ? s.Pool.Id : null, admin ? s.User.Username : null, 60, token, null, CancellationToken.None).GetAwaiter().GetResult();
            }).ToList();
            Assert.Equal(s.Devices.Select(d => d.DeviceKey).OrderBy(k => k, StringComparer.Ordinal), listed.Select(d => d.DeviceKey).OrderBy(k => k, StringComparer.Ordinal));
            Assert.Equal(Math.Max(1, (count + 59) / 60), pages);
            Assert.All(listed, d => Assert.Equal(admin ? s.Pool.Id : null, d.UserPoolId));
        }

        [Fact]
        public async Task Removing_while_listing_forgets_every_device()
        {
            // Get-CognitoDevice | Remove-CognitoDevice: each page's devices are forgotten before the next page is read.
            var s = new Scenario(_cognito, devices: 150);
            var session = s.Session(admin: true);
            var forgotten = new List<string>();
            foreach (Device d in DevicePager.Enumerate(token => session.ListDevicesPageAsync(null, s.Pool.Id, s.User.Username, 60, token, null, CancellationToken.None).GetAwaiter().GetResult()))
            {
                await session.ForgetDeviceAsync(new DeviceTarget(d.DeviceKey, d.UserPoolId, d.Username, d.Region), null, CancellationToken.None);
                forgotten.Add(d.DeviceKey);
            }
            Assert.Equal(150, forgotten.Distinct().Count());
            Assert.Empty(_cognito.State.Devices(s.User));
        }

        [Fact]
        public async Task A_bad_pagination_token_is_InvalidParameterException()
        {
            var s = new Scenario(_cognito);
            await Assert.ThrowsAsync<InvalidParameterException>(() => s.Session().ListDevicesPageAsync(null, null, null, 10, "bm90LWEtdG9rZW4", null, CancellationToken.None));
        }

        /// <summary>Builds a token session for an arbitrary token.</summary>
        private sealed class DeviceSessionFactory
        {
            private readonly DeviceSession _session;

            public DeviceSessionFactory(LocalCognito cognito, string token)
            {
                var settings = CognitoDevice.Configuration.CognitoSettings.Load(cognito.Url.ToString(), null, _ => null, null);
                var client = new CognitoDevice.Protocol.CognitoClient(CognitoDevice.Runtime.ModuleRuntime.Http,
                    new CognitoDevice.Protocol.RetryStrategy(1, new CognitoDevice.Protocol.RetryQuota()), "test");
                _session = new DeviceSession(settings, client, token, () => throw new InvalidOperationException());
            }

            public Task<ForgottenDevice> ForgetDeviceAsync(DeviceTarget target, Action<string>? verbose, CancellationToken ct) => _session.ForgetDeviceAsync(target, verbose, ct);
        }
    }
}
