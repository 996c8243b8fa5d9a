using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Tests.Infrastructure;
using Xunit;

namespace CognitoDevice.LocalEndpoint.Tests
{
    /// <summary>SigV4 verification of the Admin operations.</summary>
    public sealed class SigV4Tests : IClassFixture<EndpointFixture>
    {
        private const string SignatureMismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
        private const string InvalidToken = "The security token included in the request is invalid.";
        private readonly EndpointFixture _fx;

        public SigV4Tests(EndpointFixture fx) => _fx = fx;

        private LocalCognito C => _fx.Cognito;

        private static object ListBody(TestUser u) => new { UserPoolId = u.PoolId, Username = u.Username };

        private static void AssertNoSecrets(ApiResponse r)
        {
            foreach (TestCredential c in new[] { LocalCredentials.Default, LocalCredentials.Session, LocalCredentials.Denied })
            {
                Assert.DoesNotContain(c.SecretAccessKey, r.Body, StringComparison.Ordinal);
                if (c.SessionToken != null) Assert.DoesNotContain(c.SessionToken, r.Body, StringComparison.Ordinal);
                foreach (string h in r.Headers.Values) Assert.DoesNotContain(c.SecretAccessKey, h, StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task Correctly_signed_request_succeeds_in_any_valid_region()
        {
            TestUser u = _fx.NewUser(devices: 2);
            Asserts.Ok(await _fx.Api.CallAsync("AdminListDevices", ListBody(u), C.Credentials));
            Asserts.Ok(await _fx.Api.CallAsync("AdminListDevices", ListBody(u), C.Credentials, region: "eu-central-1"));
            Asserts.Ok(await _fx.Api.CallAsync("AdminListDevices", ListBody(u), C.Credentials, region: "us-gov-west-1"));
        }

        [Fact]
        public async Task Missing_authorization()
        {
            TestUser u = _fx.NewUser();
            foreach (string op in new[] { "AdminListDevices", "AdminGetDevice", "AdminForgetDevice", "AdminUpdateDeviceStatus" })
            {
                Asserts.Error(await _fx.Api.CallAsync(op, ListBody(u)), "MissingAuthenticationTokenException", "Missing Authentication Token");
            }
        }

        [Fact]
        public async Task Unknown_access_key()
        {
            TestUser u = _fx.NewUser();
            ApiResponse r = await _fx.Api.CallAsync("AdminListDevices", ListBody(u), new TestCredential("AKIDUNKNOWN0000", "whatever-secret", null));
            Asserts.Error(r, "UnrecognizedClientException", InvalidToken);
        }

        [Fact]
        public async Task Wrong_secret_is_a_signature_mismatch_that_reveals_nothing()
        {
            TestUser u = _fx.NewUser();
            var wrong = new TestCredential(C.Credentials.AccessKeyId, "WrongSecretForTheRightKeyId/0000000000000", null);
            ApiResponse r = await _fx.Api.CallAsync("AdminListDevices", ListBody(u), wrong);
            Asserts.Error(r, "InvalidSignatureException", SignatureMismatch);
            AssertNoSecrets(r);
            Assert.DoesNotContain(wrong.SecretAccessKey, r.Body, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Body_changed_after_signing_is_a_mismatch()
        {
            TestUser u = _fx.NewUser();
            ApiResponse r = await _fx.Api.CallAsync("AdminListDevices", ListBody(u), C.Credentials, afterSign: req =>
            {
                var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Api.Json(new { UserPoolId = u.PoolId, Username = u.Username, Limit = 5 })));
                content.Headers.TryAddWithoutValidation("Content-Type", Api.JsonContentType);
                req.Content = content;
            });
            Asserts.Error(r, "InvalidSignatureException", SignatureMismatch);
        }

        [Fact]
        public async Task Signed_header_changed_after_signing_is_a_mismatch_unsigned_header_is_not()
        {
            TestUser u = _fx.NewUser();
            Asserts.Ok(await _fx.Api.CallAsync("AdminListDevices", ListBody(u), C.Credentials,
                afterSign: req => req.Headers.TryAddWithoutValidation("X-Unsigned-Extra", "anything")));
            ApiResponse r = await _fx.Api.CallAsync("AdminListDevices", ListBody(u), C.Credentials, afterSign: req =>
            {
                req.Headers.Remove("X-Amz-Target");
                req.Headers.TryAddWithoutValidation("X-Amz-Target", Api.Prefix + "AdminGetDevice");
            });
            Asserts.Error(r, "InvalidSignatureException", SignatureMismatch);
        }

        [Fact]
        public async Task Header_values_are_trimmed_and_inner_whitespace_collapsed()
        {
            TestUser u = _fx.NewUser();
            byte[] body = Encoding.UTF8.GetBytes(Api.Json(ListBody(u)));
            string amzDate = DateTime.UtcNow.ToString(SigV4.AmzDateFormat, CultureInfo.InvariantCulture);
            var signed = new Dictionary<string, string>
            {
                ["host"] = C.Url.Authority,
                ["content-type"] = Api.JsonContentType,
                ["x-amz-date"] = amzDate,
                ["x-amz-target"] = Api.Prefix + "AdminListDevices",
                ["x-custom-spaced"] = "a b c", // the canonical form of the value sent below
            };
            string authorization = SigV4.Authorization("POST", "/", "", signed, body, C.Credentials, "us-east-1", amzDate);
            using HttpRequestMessage request = _fx.Api.Build("AdminListDevices", ListBody(u));
            request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
            request.Headers.TryAddWithoutValidation("X-Custom-Spaced", "a   b \t c");
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            Asserts.Ok(await _fx.Api.SendAsync(request));
        }

        [Theory]
        [InlineData(-20, "Signature expired: ")]
        [InlineData(20, "Signature not yet current: ")]
        public async Task Clock_skew_beyond_15_minutes(int minutes, string prefix)
        {
            TestUser u = _fx.NewUser();
            DateTime when = DateTime.UtcNow.AddMinutes(minutes);
            ApiResponse r = await _fx.Api.CallAsync("AdminListDevices", ListBody(u), C.Credentials, signTime: when);
            Asserts.Error(r, "InvalidSignatureException");
            Assert.StartsWith(prefix + when.ToString(SigV4.AmzDateFormat, CultureInfo.InvariantCulture), r.Message, StringComparison.Ordinal);
            Assert.Contains(minutes < 0 ? " - 15 min.)" : " + 15 min.)", r.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Clock_skew_within_15_minutes_is_accepted()
        {
            TestUser u = _fx.NewUser();
            Asserts.Ok(await _fx.Api.CallAsync("AdminListDevices", ListBody(u), C.Credentials, signTime: DateTime.UtcNow.AddMinutes(-10)));
            Asserts.Ok(await _fx.Api.CallAsync("AdminListDevices", ListBody(u), C.Credentials, signTime: DateTime.UtcNow.AddMinutes(10)));
        }

        [Fact]
        public async Task Wrong_service_in_scope()
        {
            TestUser u = _fx.NewUser();
            Asserts.Error(await _fx.Api.CallAsync("AdminListDevices", ListBody(u), C.Credentials, service: "cognito-identity"),
                "InvalidSignatureException", "Credential should be scoped to correct service: 'cognito-idp'.");
        }

        [Fact]
        public async Task Invalid_region_in_scope()
        {
            TestUser u = _fx.NewUser();
            ApiResponse r = await _fx.Api.CallAsync("AdminListDevices", ListBody(u), C.Credentials, region: "Moon");
            Asserts.Error(r, "InvalidSignatureException", "Credential should be scoped to a valid region, not 'Moon'.");
        }

        [Fact]
        public async Task Host_must_be_signed()
        {
            TestUser u = _fx.NewUser();
            byte[] body = Encoding.UTF8.GetBytes(Api.Json(ListBody(u)));
            string amzDate = DateTime.UtcNow.ToString(SigV4.AmzDateFormat, CultureInfo.InvariantCulture);
            var signed = new Dictionary<string, string>
            {
                ["content-type"] = Api.JsonContentType,
                ["x-amz-date"] = amzDate,
                ["x-amz-target"] = Api.Prefix + "AdminListDevices",
            };
            using HttpRequestMessage request = _fx.Api.Build("AdminListDevices", ListBody(u));
            request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
            request.Headers.TryAddWithoutValidation("Authorization", SigV4.Authorization("POST", "/", "", signed, body, C.Credentials, "us-east-1", amzDate));
            Asserts.Error(await _fx.Api.SendAsync(request), "IncompleteSignatureException");
        }

        [Theory]
        [InlineData("Bearer abc")]
        [InlineData("AWS4-HMAC-SHA256 Credential=AKIDLOCALCOGNITO/20240101/us-east-1/cognito-idp/aws4_request")]
        [InlineData("AWS4-HMAC-SHA256 Credential=AKIDLOCALCOGNITO, SignedHeaders=host, Signature=00")]
        public async Task Malformed_authorization_is_IncompleteSignature(string authorization)
        {
            TestUser u = _fx.NewUser();
            using HttpRequestMessage request = _fx.Api.Build("AdminListDevices", ListBody(u));
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            request.Headers.TryAddWithoutValidation("X-Amz-Date", DateTime.UtcNow.ToString(SigV4.AmzDateFormat, CultureInfo.InvariantCulture));
            Asserts.Error(await _fx.Api.SendAsync(request), "IncompleteSignatureException");
        }

        [Fact]
        public async Task Session_credentials_require_their_token_signed_or_not()
        {
            TestUser u = _fx.NewUser(devices: 1);
            TestCredential s = C.SessionCredentials;
            Assert.NotNull(s.SessionToken);
            // Signed token (SigV4.Sign signs x-amz-security-token).
            Asserts.Ok(await _fx.Api.CallAsync("AdminListDevices", ListBody(u), s));
            // Token missing.
            Asserts.Error(await _fx.Api.CallAsync("AdminListDevices", ListBody(u), s with { SessionToken = null }), "UnrecognizedClientException", InvalidToken);
            // Token present but not signed: still accepted.
            Asserts.Ok(await _fx.Api.CallAsync("AdminListDevices", ListBody(u), s with { SessionToken = null },
                afterSign: req => req.Headers.TryAddWithoutValidation("X-Amz-Security-Token", s.SessionToken)));
            // Wrong token (signed).
            ApiResponse wrong = await _fx.Api.CallAsync("AdminListDevices", ListBody(u), s with { SessionToken = "not-the-token" });
            Asserts.Error(wrong, "UnrecognizedClientException", InvalidToken);
            AssertNoSecrets(wrong);
            // A long-term key must not come with a session token.
            Asserts.Error(await _fx.Api.CallAsync("AdminListDevices", ListBody(u), C.Credentials with { SessionToken = "stray" }), "UnrecognizedClientException", InvalidToken);
        }

        [Fact]
        public async Task Denied_credentials_get_AccessDenied_with_action_and_resource()
        {
            TestUser u = _fx.NewUser(devices: 1);
            string key = u.Devices[0].DeviceKey;
            foreach (string op in new[] { "AdminListDevices", "AdminGetDevice", "AdminForgetDevice", "AdminUpdateDeviceStatus" })
            {
                ApiResponse r = await _fx.Api.CallAsync(op, new { UserPoolId = u.PoolId, Username = u.Username, DeviceKey = key }, C.DeniedCredentials, region: "eu-west-1");
                Asserts.Error(r, "AccessDeniedException",
                    "User: arn:aws:iam::000000000000:user/denied is not authorized to perform: cognito-idp:" + op +
                    " on resource: arn:aws:cognito-idp:eu-west-1:000000000000:userpool/" + u.PoolId);
                AssertNoSecrets(r);
            }
            Assert.True(u.Devices[0].Exists);
        }

        [Fact]
        public async Task Security_token_is_redacted_in_the_request_log()
        {
            TestUser u = _fx.NewUser();
            Asserts.Ok(await _fx.Api.CallAsync("AdminListDevices", new { UserPoolId = u.PoolId, Username = u.Username, Limit = 7 }, C.SessionCredentials));
            RecordedRequest rec = C.Requests.Snapshot().Last(r => r.Operation == "AdminListDevices" && r.Body.Contains("\"Limit\":7", StringComparison.Ordinal) && r.Body.Contains(u.PoolId, StringComparison.Ordinal));
            Assert.Equal("<redacted>", rec.Headers["x-amz-security-token"]);
            Assert.StartsWith("AWS4-HMAC-SHA256 Credential=" + C.SessionCredentials.AccessKeyId + "/", rec.Headers["Authorization"], StringComparison.Ordinal);
            Assert.DoesNotContain(C.SessionCredentials.SecretAccessKey, string.Join("\n", rec.Headers.Values), StringComparison.Ordinal);
        }

        [Fact]
        public void Credentials_never_print_secrets()
        {
            foreach (TestCredential c in new[] { C.Credentials, C.SessionCredentials, C.DeniedCredentials })
            {
                Assert.DoesNotContain(c.SecretAccessKey, c.ToString(), StringComparison.Ordinal);
                if (c.SessionToken != null) Assert.DoesNotContain(c.SessionToken, c.ToString(), StringComparison.Ordinal);
                Assert.Contains(c.AccessKeyId, c.ToString(), StringComparison.Ordinal);
            }
            Assert.Null(C.Credentials.SessionToken);
        }

        [Fact]
        public void Signing_matches_the_aws_documentation_example()
        {
            // The worked example of the AWS General Reference (IAM ListUsers, GET, 20150830T123600Z):
            // signing key and signature as published there.
            const string secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
            byte[] key = SigV4.SigningKey(secret, "20150830", "us-east-1", "iam");
            Assert.Equal("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9", Convert.ToHexStringLower(key));
            string canonical = SigV4.CanonicalRequest("GET", "/", "Action=ListUsers&Version=2010-05-08",
                new[] { "content-type", "host", "x-amz-date" },
                n => n switch { "content-type" => "application/x-www-form-urlencoded; charset=utf-8", "host" => "iam.amazonaws.com", _ => "20150830T123600Z" },
                SigV4.HexSha256(Array.Empty<byte>()));
            Assert.Equal("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59", SigV4.HexSha256(Encoding.UTF8.GetBytes(canonical)));
            string sts = SigV4.StringToSign("20150830T123600Z", "20150830/us-east-1/iam/aws4_request", canonical);
            Assert.Equal("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", SigV4.Signature(key, sts));
        }
    }
}
