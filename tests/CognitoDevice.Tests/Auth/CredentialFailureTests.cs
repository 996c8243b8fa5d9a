using System;
using Amazon.Runtime;
using CognitoDevice.Auth;
using Xunit;

namespace CognitoDevice.Tests.Auth
{
    /// <summary>Every credential failure becomes one typed configuration error with a sanitized inner copy.</summary>
    public sealed class CredentialFailureTests
    {
        private static CredentialSource Profile(string name) =>
            CredentialSource.Select(name, _ => null, _ => false, p => p, "/home/admin");

        private static CredentialSource WebIdentity() =>
            CredentialSource.Select(null, n => n == "AWS_ROLE_ARN" ? "arn:aws:iam::1:role/web" : n == "AWS_WEB_IDENTITY_TOKEN_FILE" ? "/t" : null, _ => false, p => p, "/h");

        private static AmazonServiceException Service(string code) => new AmazonServiceException("service said no") { ErrorCode = code };

        [Theory]
        [InlineData("Sso", null, "SsoTokenExpired", "aws sso login --profile ops")]
        [InlineData("Sso", "UnauthorizedException", "SsoTokenExpired", "aws sso login --profile ops")]
        [InlineData("Sso", "ForbiddenException", "SsoCredentialsFailed", "sso_role_name")]
        [InlineData("AssumeRole", "AccessDenied", "AssumeRoleFailed", "role arn:aws:iam::1:role/admin (AccessDenied)")]
        [InlineData("AssumeRole", null, "AssumeRoleFailed", "could not be reached")]
        [InlineData("Process", null, "CredentialProcessFailed", "credential_process")]
        [InlineData("Container", null, "ContainerCredentialsFailed", "container credentials endpoint")]
        [InlineData("Unknown", null, "ProfileInvalid", "profile 'ops'")]
        public void Profile_failures_are_classified_by_what_the_profile_is(string kindName, string? serviceCode, string code, string says)
        {
            var kind = (CredentialKind)Enum.Parse(typeof(CredentialKind), kindName);
            Exception cause = serviceCode is null ? new AmazonClientException("it failed") : Service(serviceCode);
            CognitoDeviceConfigurationException ex = CredentialFailure.From(new InvalidOperationException("wrapped", cause), Profile("ops"), kind, "arn:aws:iam::1:role/admin", null);
            Assert.Equal(code, ex.ErrorCode);
            Assert.Contains(says, ex.Message);
            Assert.Contains("profile 'ops'", ex.Message);
            Assert.IsType<CredentialResolutionDetail>(ex.InnerException);
            Assert.Equal(typeof(InvalidOperationException).FullName, ((CredentialResolutionDetail)ex.InnerException!).SourceType);
            Assert.IsType<CredentialResolutionDetail>(ex.InnerException!.InnerException); // the SDK's own exception, copied
            Assert.Equal(CognitoDevice.Errors.ErrorKind.AuthenticationError, CognitoDevice.Errors.ErrorCatalog.KindOf(code));
            Assert.DoesNotContain("See the message", CognitoDevice.Errors.ErrorCatalog.RecommendedActionFor(code));
        }

        [Fact]
        public void No_mfa_code_is_MfaRequired_naming_the_device()
        {
            var cause = new AmazonClientException("refresh failed", new MfaCodeUnavailableException("arn:aws:iam::1:mfa/me"));
            CognitoDeviceConfigurationException ex = CredentialFailure.From(cause, Profile("ops"), CredentialKind.AssumeRole, null, null);
            Assert.Equal("MfaRequired", ex.ErrorCode);
            Assert.Contains("arn:aws:iam::1:mfa/me", ex.Message);
        }

        [Fact]
        public void A_rejected_or_unreadable_web_identity_token()
        {
            Assert.Equal("AssumeRoleFailed", CredentialFailure.From(Service("InvalidIdentityToken"), WebIdentity(), CredentialKind.WebIdentity, "arn:aws:iam::1:role/web", null).ErrorCode);
            var unreadable = new AmazonClientException("A token could not be loaded from the WebIdentityTokenFile at /t");
            CognitoDeviceConfigurationException ex = CredentialFailure.From(unreadable, WebIdentity(), CredentialKind.WebIdentity, null, null);
            Assert.Equal("WebIdentityTokenUnreadable", ex.ErrorCode);
            Assert.Contains("AWS_ROLE_ARN 'arn:aws:iam::1:role/web'", ex.Message);
        }

        [Fact]
        public void The_SDK_profile_not_found_exception_is_ProfileNotFound()
        {
            CognitoDeviceConfigurationException ex = CredentialFailure.From(new Amazon.Runtime.CredentialManagement.ProfileNotFoundException("nope"), Profile("ops"), CredentialKind.Unknown, null, null);
            Assert.Equal("ProfileNotFound", ex.ErrorCode);
        }

        [Theory]
        [InlineData("{\"Version\": 1, \"AccessKeyId\": \"AKID\", \"SecretAccessKey\": \"S3cr3t/Value+1\", \"SessionToken\": \"T0ken==\"}")]
        [InlineData("aws_secret_access_key = S3cr3t/Value+1\naws_session_token=T0ken==")]
        [InlineData("<SecretAccessKey>S3cr3t/Value+1</SecretAccessKey><SessionToken>T0ken==</SessionToken>")]
        [InlineData("{\"accessToken\":\"S3cr3t/Value+1\",\"refreshToken\":\"T0ken==\"}")]
        [InlineData("AWS_SECRET_ACCESS_KEY=S3cr3t/Value+1 AWS_SESSION_TOKEN=T0ken==")]
        public void Sanitize_removes_secret_values_in_every_shape_the_SDK_could_echo(string text)
        {
            string clean = CredentialFailure.Sanitize(text, null);
            Assert.DoesNotContain("S3cr3t", clean);
            Assert.DoesNotContain("T0ken", clean);
        }

        [Fact]
        public void Sanitize_removes_known_secrets_anywhere_and_keeps_the_rest()
        {
            string clean = CredentialFailure.Sanitize("process printed KnownSecretValue42 and exited 3", new[] { "KnownSecretValue42" });
            Assert.Equal("process printed [redacted] and exited 3", clean);
        }
    }
}
