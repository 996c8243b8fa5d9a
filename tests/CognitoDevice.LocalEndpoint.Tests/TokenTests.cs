using System;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Tests.Infrastructure;
using Xunit;

namespace CognitoDevice.LocalEndpoint.Tests
{
    /// <summary>Access-token verification of the token operations, in the documented order.</summary>
    public sealed class TokenTests : IClassFixture<EndpointFixture>
    {
        private readonly EndpointFixture _fx;

        public TokenTests(EndpointFixture fx) => _fx = fx;

        private Task<ApiResponse> List(string token) => _fx.Api.CallAsync("ListDevices", new { AccessToken = token });

        private static JsonElement Part(string token, int index)
        {
            string[] parts = token.Split('.');
            Assert.Equal(3, parts.Length);
            byte[] bytes = Base64Url.TryDecode(parts[index])!;
            using JsonDocument doc = JsonDocument.Parse(bytes);
            return doc.RootElement.Clone();
        }

        [Fact]
        public void Token_is_shaped_like_cognitos()
        {
            TestUser u = _fx.NewUser();
            Assert.DoesNotContain("=", u.Token, StringComparison.Ordinal);
            JsonElement header = Part(u.Token, 0);
            Assert.Equal("local-1", header.GetProperty("kid").GetString());
            Assert.Equal("HS256", header.GetProperty("alg").GetString());
            JsonElement claims = Part(u.Token, 1);
            Assert.Equal(u.User.Sub, claims.GetProperty("sub").GetString());
            Assert.Equal("https://cognito-idp.us-east-1.amazonaws.com/" + u.PoolId, claims.GetProperty("iss").GetString());
            Assert.Equal(u.Pool.ClientId, claims.GetProperty("client_id").GetString());
            Assert.Equal("access", claims.GetProperty("token_use").GetString());
            Assert.Equal("aws.cognito.signin.user.admin", claims.GetProperty("scope").GetString());
            Assert.Equal(u.Username, claims.GetProperty("username").GetString());
            Assert.Equal(3600, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
            Assert.Equal(claims.GetProperty("iat").GetInt64(), claims.GetProperty("auth_time").GetInt64());
            foreach (string guid in new[] { "origin_jti", "event_id", "jti" }) Assert.True(Guid.TryParse(claims.GetProperty(guid).GetString(), out _), guid);
        }

        [Fact]
        public async Task Issuer_form_token_is_accepted()
        {
            TestUser u = _fx.NewUser(devices: 1);
            string token = _fx.Cognito.State.IssueAccessToken(u.User, issuerForm: true);
            Assert.Equal("https://issuer-cognito-idp.us-east-1.amazonaws.com/" + u.PoolId, Part(token, 1).GetProperty("iss").GetString());
            Asserts.Ok(await List(token));
        }

        [Theory]
        [InlineData("abc")]
        [InlineData("a.b.c")]
        [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
        [InlineData("....")]
        public async Task Malformed_tokens_are_invalid(string token)
        {
            Asserts.Error(await List(token), "NotAuthorizedException", "Invalid Access Token");
        }

        [Fact]
        public async Task Bad_signature_is_invalid()
        {
            TestUser u = _fx.NewUser();
            string[] parts = u.Token.Split('.');
            char last = parts[2][0];
            parts[2] = (last == 'A' ? 'B' : 'A') + parts[2].Substring(1);
            Asserts.Error(await List(string.Join(".", parts)), "NotAuthorizedException", "Invalid Access Token");
        }

        [Fact]
        public async Task Edited_claims_break_the_signature()
        {
            TestUser victim = _fx.NewUser(devices: 1);
            TestUser attacker = _fx.NewUser();
            string[] parts = attacker.Token.Split('.');
            string claims = Encoding.UTF8.GetString(Base64Url.TryDecode(parts[1])!).Replace(attacker.User.Sub, victim.User.Sub, StringComparison.Ordinal);
            parts[1] = Base64Url.Encode(Encoding.UTF8.GetBytes(claims));
            Asserts.Error(await List(string.Join(".", parts)), "NotAuthorizedException", "Invalid Access Token");
        }

        [Fact]
        public async Task Id_token_is_not_an_access_token()
        {
            TestUser u = _fx.NewUser();
            Asserts.Error(await List(_fx.Cognito.State.IssueIdToken(u.User)), "NotAuthorizedException", "Invalid Access Token");
        }

        [Fact]
        public async Task Token_of_another_instance_is_invalid()
        {
            await using LocalCognito other = await LocalCognito.StartAsync();
            UserPool pool = other.State.CreatePool();
            PoolUser user = other.State.CreateUser(pool, "alice");
            Asserts.Error(await List(other.State.IssueAccessToken(user)), "NotAuthorizedException", "Invalid Access Token");
        }

        [Fact]
        public async Task Expired_token()
        {
            TestUser u = _fx.NewUser();
            Asserts.Error(await List(_fx.Cognito.State.IssueAccessToken(u.User, TimeSpan.FromSeconds(-5))), "NotAuthorizedException", "Access Token has expired");
        }

        [Fact]
        public async Task Revoked_tokens_fail_and_new_tokens_work()
        {
            TestUser u = _fx.NewUser(devices: 1);
            string second = _fx.Cognito.State.IssueAccessToken(u.User);
            Asserts.Ok(await List(u.Token));
            _fx.Cognito.State.RevokeTokens(u.User);
            Asserts.Error(await List(u.Token), "NotAuthorizedException", "Access Token has been revoked");
            Asserts.Error(await List(second), "NotAuthorizedException", "Access Token has been revoked");
            Asserts.Ok(await List(_fx.Cognito.State.IssueAccessToken(u.User)));
        }

        [Fact]
        public async Task Deleted_pool_is_ResourceNotFound()
        {
            TestUser u = _fx.NewUser();
            _fx.Cognito.State.DeletePool(u.Pool);
            Asserts.Error(await List(u.Token), "ResourceNotFoundException", "User pool " + u.PoolId + " does not exist.");
        }

        [Fact]
        public async Task Deleted_user_is_UserNotFound_even_if_recreated()
        {
            TestUser u = _fx.NewUser();
            _fx.Cognito.State.DeleteUser(u.User);
            Asserts.Error(await List(u.Token), "UserNotFoundException", "User does not exist.");
            _fx.Cognito.State.CreateUser(u.Pool, u.Username);
            Asserts.Error(await List(u.Token), "UserNotFoundException", "User does not exist.");
        }

        [Theory]
        [InlineData(UserState.Disabled, "NotAuthorizedException", "User is disabled.")]
        [InlineData(UserState.Unconfirmed, "UserNotConfirmedException", "User is not confirmed.")]
        [InlineData(UserState.ResetRequired, "PasswordResetRequiredException", "Password reset required for the user")]
        public async Task User_state_errors(UserState state, string code, string message)
        {
            TestUser u = _fx.NewUser(devices: 1);
            u.User.State = state;
            string key = u.Devices[0].DeviceKey;
            Asserts.Error(await List(u.Token), code, message);
            Asserts.Error(await _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = key }), code, message);
            Asserts.Error(await _fx.Api.CallAsync("UpdateDeviceStatus", new { AccessToken = u.Token, DeviceKey = key, DeviceRememberedStatus = "remembered" }), code, message);
            Asserts.Error(await _fx.Api.CallAsync("ForgetDevice", new { AccessToken = u.Token, DeviceKey = key }), code, message);
            Assert.NotNull(_fx.Cognito.State.FindDevice(u.User, key));
            // Admin operations act on such users.
            Asserts.Ok(await _fx.Api.CallAsync("AdminGetDevice", new { UserPoolId = u.PoolId, Username = u.Username, DeviceKey = key }, _fx.Cognito.Credentials));
        }

        [Fact]
        public async Task Verification_order_expired_before_revoked_before_pool_before_user_state()
        {
            TestUser u = _fx.NewUser();
            string expired = _fx.Cognito.State.IssueAccessToken(u.User, TimeSpan.FromSeconds(-1));
            string live = _fx.Cognito.State.IssueAccessToken(u.User);
            _fx.Cognito.State.RevokeTokens(u.User);
            u.User.State = UserState.Disabled;
            Asserts.Error(await List(expired), "NotAuthorizedException", "Access Token has expired");
            Asserts.Error(await List(live), "NotAuthorizedException", "Access Token has been revoked");
            string fresh = _fx.Cognito.State.IssueAccessToken(u.User);
            Asserts.Error(await List(fresh), "NotAuthorizedException", "User is disabled.");
            _fx.Cognito.State.DeletePool(u.Pool);
            Asserts.Error(await List(fresh), "ResourceNotFoundException");
        }

        [Fact]
        public async Task Waf_blocks_token_operations_only()
        {
            TestUser u = _fx.NewUser(devices: 1, waf: true);
            string key = u.Devices[0].DeviceKey;
            Asserts.Error(await List(u.Token), "ForbiddenException", "Request blocked by AWS WAF.");
            Asserts.Error(await _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = key }), "ForbiddenException", "Request blocked by AWS WAF.");
            Asserts.Error(await _fx.Api.CallAsync("ForgetDevice", new { AccessToken = u.Token, DeviceKey = key }), "ForbiddenException");
            Asserts.Error(await _fx.Api.CallAsync("UpdateDeviceStatus", new { AccessToken = u.Token, DeviceKey = key }), "ForbiddenException");
            Asserts.Ok(await _fx.Api.CallAsync("AdminListDevices", new { UserPoolId = u.PoolId, Username = u.Username }, _fx.Cognito.Credentials));
            u.Pool.WafBlocksRequests = false;
            Asserts.Ok(await List(u.Token));
        }

        [Fact]
        public async Task Device_tracking_disabled_is_InvalidUserPoolConfiguration_for_all_operations()
        {
            TestUser u = _fx.NewUser(devices: 1, deviceTracking: false);
            string key = u.Devices[0].DeviceKey;
            const string code = "InvalidUserPoolConfigurationException";
            const string message = "Device tracking is not enabled for this user pool.";
            TestCredential c = _fx.Cognito.Credentials;
            Asserts.Error(await List(u.Token), code, message);
            Asserts.Error(await _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = key }), code, message);
            Asserts.Error(await _fx.Api.CallAsync("ForgetDevice", new { AccessToken = u.Token, DeviceKey = key }), code, message);
            Asserts.Error(await _fx.Api.CallAsync("UpdateDeviceStatus", new { AccessToken = u.Token, DeviceKey = key }), code, message);
            Asserts.Error(await _fx.Api.CallAsync("AdminListDevices", new { UserPoolId = u.PoolId, Username = u.Username }, c), code, message);
            Asserts.Error(await _fx.Api.CallAsync("AdminGetDevice", new { UserPoolId = u.PoolId, Username = u.Username, DeviceKey = key }, c), code, message);
            Asserts.Error(await _fx.Api.CallAsync("AdminForgetDevice", new { UserPoolId = u.PoolId, Username = u.Username, DeviceKey = key }, c), code, message);
            Asserts.Error(await _fx.Api.CallAsync("AdminUpdateDeviceStatus", new { UserPoolId = u.PoolId, Username = u.Username, DeviceKey = key }, c), code, message);
            Assert.NotNull(_fx.Cognito.State.FindDevice(u.User, key));
        }

        [Fact]
        public async Task Missing_access_token_on_operations_where_the_model_makes_it_optional()
        {
            // ForgetDevice/GetDevice do not list AccessToken as required in the model, so Coral
            // validation passes; the endpoint then answers as for an unusable token.
            TestUser u = _fx.NewUser(devices: 1);
            Asserts.Error(await _fx.Api.CallAsync("GetDevice", new { DeviceKey = u.Devices[0].DeviceKey }), "NotAuthorizedException", "Invalid Access Token");
            Asserts.Error(await _fx.Api.CallAsync("ForgetDevice", new { DeviceKey = u.Devices[0].DeviceKey }), "NotAuthorizedException", "Invalid Access Token");
        }

        [Fact]
        public async Task Token_operations_ignore_any_authorization_header()
        {
            TestUser u = _fx.NewUser(devices: 1);
            Asserts.Ok(await _fx.Api.CallAsync("ListDevices", new { AccessToken = u.Token },
                afterSign: r => r.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDUNKNOWN/20000101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00")));
            Asserts.Ok(await _fx.Api.CallAsync("ListDevices", new { AccessToken = u.Token }, signWith: _fx.Cognito.DeniedCredentials));
        }
    }
}
