using System;
using System.Collections.Generic;
using CognitoDevice.Auth;
using Xunit;

namespace CognitoDevice.Tests.Auth
{
    /// <summary>The order the Admin credential chain tries its sources, and what each is called in an error.</summary>
    public sealed class CredentialSourceTests
    {
        private static CredentialSource Select(string? profileParameter, bool defaultProfileExists, params string[] variables)
        {
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i + 1 < variables.Length; i += 2) environment[variables[i]] = variables[i + 1];
            return CredentialSource.Select(profileParameter, n => environment.TryGetValue(n, out string? v) ? v : null,
                name => defaultProfileExists && name == "default", path => path + "@stamp", "/home/admin");
        }

        private static readonly string[] Everything =
        {
            "AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "secret",
            "AWS_WEB_IDENTITY_TOKEN_FILE", "/var/token", "AWS_ROLE_ARN", "arn:aws:iam::1:role/web",
            "AWS_PROFILE", "admin",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/creds",
        };

        [Theory]
        [InlineData(0, "EnvironmentKeys")]
        [InlineData(4, "WebIdentityEnvironment")]
        [InlineData(8, "EnvironmentProfile")]
        [InlineData(10, "Container")]
        public void Each_source_wins_over_the_ones_after_it(int skipPairs, string expectedKind)
        {
            var expected = (CredentialSourceKind)Enum.Parse(typeof(CredentialSourceKind), expectedKind);
            string[] variables = Everything[skipPairs..];
            Assert.Equal(expected, Select(null, false, variables).Kind);
        }

        [Fact]
        public void ProfileName_wins_over_everything()
        {
            CredentialSource source = Select("ops", true, Everything);
            Assert.Equal(CredentialSourceKind.ProfileParameter, source.Kind);
            Assert.Equal("ops", source.ProfileName);
            Assert.Equal("profile 'ops' (-ProfileName)", source.Description);
        }

        [Fact]
        public void The_default_profile_comes_after_AWS_PROFILE_and_before_the_container()
        {
            Assert.Equal(CredentialSourceKind.DefaultProfile, Select(null, true, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/creds").Kind);
            Assert.Equal(CredentialSourceKind.EnvironmentProfile, Select(null, true, "AWS_PROFILE", "x").Kind);
        }

        [Fact]
        public void Instance_metadata_is_last_and_never_when_disabled()
        {
            Assert.Equal(CredentialSourceKind.InstanceMetadata, Select(null, false).Kind);
            Assert.Equal(CredentialSourceKind.None, Select(null, false, "AWS_EC2_METADATA_DISABLED", "true").Kind);
            Assert.Equal(CredentialSourceKind.None, Select(null, false, "AWS_EC2_METADATA_DISABLED", "TRUE").Kind);
        }

        [Fact]
        public void A_key_id_without_a_secret_or_an_empty_variable_is_not_a_source()
        {
            Assert.Equal(CredentialSourceKind.None, Select(null, false, "AWS_ACCESS_KEY_ID", "AKID", "AWS_EC2_METADATA_DISABLED", "true").Kind);
            Assert.Equal(CredentialSourceKind.None, Select(null, false, "AWS_PROFILE", "", "AWS_EC2_METADATA_DISABLED", "true").Kind);
            Assert.Equal(CredentialSourceKind.None, Select(null, false, "AWS_ROLE_ARN", "arn:aws:iam::1:role/web", "AWS_EC2_METADATA_DISABLED", "true").Kind);
        }

        [Fact]
        public void Cache_keys_follow_the_files_and_never_hold_a_secret()
        {
            CredentialSource a = Select("ops", false, "AWS_CONFIG_FILE", "/tmp/a");
            CredentialSource b = Select("ops", false, "AWS_CONFIG_FILE", "/tmp/b");
            Assert.NotEqual(a.CacheKey, b.CacheKey);
            Assert.Contains("/tmp/a@stamp", a.CacheKey);
            Assert.Contains("/home/admin", a.CacheKey); // the credentials file under HOME
            foreach (CredentialSource s in new[] { Select(null, false, Everything), Select(null, false, Everything[4..]), Select(null, false, Everything[10..]) })
            {
                Assert.DoesNotContain("secret", s.CacheKey);
            }
            Assert.False(Select(null, false, Everything).Cacheable); // static keys are read afresh every time
            Assert.True(Select(null, false, Everything[4..]).Cacheable);
        }
    }
}
