using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Tests.Infrastructure;
using Xunit;

namespace CognitoDevice.LocalEndpoint.Tests
{
    /// <summary>Coral-style InvalidParameterException messages, checked against the service model.</summary>
    public sealed class ValidationTests : IClassFixture<EndpointFixture>
    {
        private const string DeviceKeyPattern = @"[\w-]+_[0-9a-f-]+";
        private readonly EndpointFixture _fx;

        public ValidationTests(EndpointFixture fx) => _fx = fx;

        public static IEnumerable<object[]> Operations() =>
            new[] { "ForgetDevice", "AdminForgetDevice", "ListDevices", "AdminListDevices", "GetDevice", "AdminGetDevice", "UpdateDeviceStatus", "AdminUpdateDeviceStatus" }
                .Select(o => new object[] { o });

        /// <summary>Reads the model copied next to the tests (the same file the endpoint embeds).</summary>
        private static JsonElement Model()
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ServiceModel", "service-2.json")));
            return doc.RootElement.Clone();
        }

        [Theory]
        [MemberData(nameof(Operations))]
        public async Task Every_required_member_of_the_model_is_reported_null_in_model_order(string operation)
        {
            JsonElement model = Model();
            string inputShape = model.GetProperty("operations").GetProperty(operation).GetProperty("input").GetProperty("shape").GetString()!;
            JsonElement shape = model.GetProperty("shapes").GetProperty(inputShape);
            var required = shape.TryGetProperty("required", out JsonElement req) ? req.EnumerateArray().Select(e => e.GetString()!).ToHashSet() : new HashSet<string>();
            List<string> expected = shape.GetProperty("members").EnumerateObject()
                .Where(m => required.Contains(m.Name))
                .Select(m => "Value null at '" + char.ToLowerInvariant(m.Name[0]) + m.Name.Substring(1) + "' failed to satisfy constraint: Member must not be null")
                .ToList();
            Assert.NotEmpty(expected);
            ApiResponse r = await _fx.Api.CallAsync(operation, "{}", signWith: operation.StartsWith("Admin", StringComparison.Ordinal) ? _fx.Cognito.Credentials : null);
            string header = expected.Count == 1 ? "1 validation error detected: " : expected.Count + " validation errors detected: ";
            Asserts.Error(r, "InvalidParameterException", header + string.Join("; ", expected));
        }

        [Fact]
        public async Task Bad_device_key_pattern_message_echoes_the_value()
        {
            TestUser u = _fx.NewUser();
            ApiResponse r = await _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = "xyz" });
            Asserts.Error(r, "InvalidParameterException",
                "1 validation error detected: Value 'xyz' at 'deviceKey' failed to satisfy constraint: Member must satisfy regular expression pattern: " + DeviceKeyPattern);
        }

        [Theory]
        [InlineData("us-east-1_ABCDEF")]            // hex digits are lowercase only (case-sensitive)
        [InlineData("üs-east-1_abc")]               // \w is ASCII-only in Java
        [InlineData("us-east-1_abc\n")]             // full match: no trailing newline
        [InlineData("_abc")]                        // [\w-]+ needs one character
        [InlineData("us-east-1_")]
        [InlineData("us east-1_abc")]
        public async Task Device_keys_the_java_pattern_rejects(string deviceKey)
        {
            TestUser u = _fx.NewUser();
            ApiResponse r = await _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = deviceKey });
            Asserts.Error(r, "InvalidParameterException",
                "1 validation error detected: Value '" + deviceKey + "' at 'deviceKey' failed to satisfy constraint: Member must satisfy regular expression pattern: " + DeviceKeyPattern);
        }

        [Theory]
        [InlineData("us-east-1_abc")]
        [InlineData("a_0")]
        [InlineData("Us_East-1_0-f")]
        public async Task Device_keys_the_java_pattern_accepts_reach_the_lookup(string deviceKey)
        {
            TestUser u = _fx.NewUser();
            Asserts.Error(await _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = deviceKey }),
                "ResourceNotFoundException", "Device does not exist.");
        }

        [Fact]
        public async Task Device_key_length_is_limited_to_55()
        {
            TestUser u = _fx.NewUser();
            string ok55 = "us-east-1_" + new string('a', 45);
            string bad56 = ok55 + "b";
            Asserts.Error(await _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = ok55 }), "ResourceNotFoundException");
            Asserts.Error(await _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = bad56 }), "InvalidParameterException",
                "1 validation error detected: Value '" + bad56 + "' at 'deviceKey' failed to satisfy constraint: Member must have length less than or equal to 55");
        }

        [Fact]
        public async Task Empty_string_fails_pattern_and_min_length()
        {
            TestUser u = _fx.NewUser();
            Asserts.Error(await _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = "" }), "InvalidParameterException",
                "2 validation errors detected: Value '' at 'deviceKey' failed to satisfy constraint: Member must satisfy regular expression pattern: " + DeviceKeyPattern +
                "; Value '' at 'deviceKey' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }

        [Fact]
        public async Task Sensitive_access_token_is_never_echoed()
        {
            const string secretish = "not a token with spaces";
            ApiResponse r = await _fx.Api.CallAsync("ListDevices", new { AccessToken = secretish });
            Asserts.Error(r, "InvalidParameterException",
                "1 validation error detected: Value at 'accessToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9-_=.]+");
            Assert.DoesNotContain(secretish, r.Body, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Sensitive_username_is_never_echoed_and_errors_are_listed_in_model_order()
        {
            const string username = "bad user name";
            ApiResponse r = await _fx.Api.CallAsync("AdminGetDevice", new { DeviceKey = "nope", UserPoolId = "bad", Username = username }, signWith: _fx.Cognito.Credentials);
            Asserts.Error(r, "InvalidParameterException",
                "3 validation errors detected: " +
                "Value 'nope' at 'deviceKey' failed to satisfy constraint: Member must satisfy regular expression pattern: " + DeviceKeyPattern + "; " +
                "Value 'bad' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+; " +
                "Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+");
            Assert.DoesNotContain(username, r.Body, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Username_length_counts_code_points_and_emoji_are_symbols()
        {
            TestUser u = _fx.NewUser();
            string emoji128 = string.Concat(Enumerable.Repeat("😀", 128)); // 256 UTF-16 units, 128 code points (\p{So})
            string emoji129 = emoji128 + "😀";
            Asserts.Error(await _fx.Api.CallAsync("AdminListDevices", new { UserPoolId = u.PoolId, Username = emoji128 }, signWith: _fx.Cognito.Credentials),
                "UserNotFoundException", "User does not exist.");
            ApiResponse tooLong = await _fx.Api.CallAsync("AdminListDevices", new { UserPoolId = u.PoolId, Username = emoji129 }, signWith: _fx.Cognito.Credentials);
            Asserts.Error(tooLong, "InvalidParameterException",
                "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128");
            Assert.DoesNotContain("😀", tooLong.Body, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Emoji_and_non_ascii_usernames_resolve()
        {
            UserPool pool = _fx.Cognito.State.CreatePool();
            PoolUser user = _fx.Cognito.State.CreateUser(pool, "Jürgen😀");
            _fx.Cognito.State.AddDevice(user);
            ApiResponse r = await _fx.Api.CallAsync("AdminListDevices", new { UserPoolId = pool.Id, Username = "Jürgen😀" }, signWith: _fx.Cognito.Credentials);
            Asserts.Ok(r);
            Assert.Single(Asserts.DeviceKeys(r));
        }

        [Theory]
        [InlineData(61, "Member must have value less than or equal to 60")]
        [InlineData(-1, "Member must have value greater than or equal to 0")]
        public async Task Limit_must_be_0_to_60(int limit, string constraint)
        {
            TestUser u = _fx.NewUser();
            Asserts.Error(await _fx.Api.CallAsync("ListDevices", new { AccessToken = u.Token, Limit = limit }), "InvalidParameterException",
                "1 validation error detected: Value '" + limit + "' at 'limit' failed to satisfy constraint: " + constraint);
        }

        [Theory]
        [InlineData("Remembered")]
        [InlineData("forgotten")]
        [InlineData("")]
        public async Task Remembered_status_must_be_one_of_the_enum(string status)
        {
            TestUser u = _fx.NewUser(devices: 1);
            Asserts.Error(await _fx.Api.CallAsync("UpdateDeviceStatus", new { AccessToken = u.Token, DeviceKey = u.Devices[0].DeviceKey, DeviceRememberedStatus = status }),
                "InvalidParameterException",
                "1 validation error detected: Value '" + status + "' at 'deviceRememberedStatus' failed to satisfy constraint: Member must satisfy enum value set: [remembered, not_remembered]");
        }

        [Fact]
        public async Task Pagination_token_must_match_non_whitespace_pattern()
        {
            TestUser u = _fx.NewUser();
            Asserts.Error(await _fx.Api.CallAsync("ListDevices", new { AccessToken = u.Token, PaginationToken = "a b" }), "InvalidParameterException",
                "1 validation error detected: Value 'a b' at 'paginationToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+");
            // Java's \S is ASCII-based: a no-break space is "not whitespace", so the pattern passes and the token is simply invalid.
            Asserts.Error(await _fx.Api.CallAsync("ListDevices", new { AccessToken = u.Token, PaginationToken = "a\u00A0b" }), "InvalidParameterException",
                "Invalid pagination token.");
        }

        [Fact]
        public async Task User_pool_id_pattern_and_length()
        {
            string longId = "us-east-1_" + new string('A', 46);
            ApiResponse r = await _fx.Api.CallAsync("AdminListDevices", new { UserPoolId = longId, Username = "alice" }, signWith: _fx.Cognito.Credentials);
            Asserts.Error(r, "InvalidParameterException",
                "1 validation error detected: Value '" + longId + "' at 'userPoolId' failed to satisfy constraint: Member must have length less than or equal to 55");
        }

        [Fact]
        public async Task Admin_operations_authenticate_before_validating()
        {
            Asserts.Error(await _fx.Api.CallAsync("AdminListDevices", "{}"), "MissingAuthenticationTokenException", "Missing Authentication Token");
        }
    }
}
