using System;
using System.Collections.Generic;
using System.IO;
using CognitoDevice.Configuration;
using Xunit;

namespace CognitoDevice.Tests.Configuration
{
    public class CognitoSettingsTests
    {
        private static Func<string, string?> Env(params (string Name, string Value)[] vars)
        {
            var d = new Dictionary<string, string>();
            foreach (var (n, v) in vars) d[n] = v;
            return n => d.TryGetValue(n, out string? v) ? v : null;
        }

        private static CognitoDeviceConfigurationException Fails(Action action) => Assert.Throws<CognitoDeviceConfigurationException>(action);

        [Fact]
        public void Endpoint_override_precedence()
        {
            var env = Env(("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "http://127.0.0.1:1111"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:2222"));
            Assert.Equal("-EndpointUrl", CognitoSettings.Load("http://127.0.0.1:3333", null, env, null).EndpointSource);
            var fromService = CognitoSettings.Load(null, null, env, null);
            Assert.Equal("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", fromService.EndpointSource);
            Assert.Equal(new Uri("http://127.0.0.1:1111"), fromService.ResolveEndpoint("us-east-1", true));
            Assert.Equal("AWS_ENDPOINT_URL", CognitoSettings.Load(null, null, Env(("AWS_ENDPOINT_URL", "http://127.0.0.1:2222")), null).EndpointSource);
            var ignored = CognitoSettings.Load(null, null, Env(("AWS_ENDPOINT_URL", "http://127.0.0.1:2222"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")), null);
            Assert.Null(ignored.EndpointSource);
            Assert.Equal(new Uri("https://cognito-idp.eu-west-1.amazonaws.com"), ignored.ResolveEndpoint("eu-west-1", true));
        }

        [Theory]
        [InlineData("not a url")]
        [InlineData("ftp://127.0.0.1/")]
        [InlineData("https://user:pass@example.com/")]
        [InlineData("https://example.com/?q=1")]
        public void An_invalid_endpoint_fails_at_load_before_any_record(string url)
        {
            var ex = Fails(() => CognitoSettings.Load(url, null, Env(), null));
            Assert.Equal("EndpointUrlInvalid", ex.ErrorCode);
            Assert.DoesNotContain("pass@", ex.Message);
        }

        [Theory]
        [InlineData("http://127.0.0.1:9229", true)]
        [InlineData("http://127.8.9.10:9229/", true)]
        [InlineData("http://localhost:9229", true)]
        [InlineData("http://[::1]:9229", true)]
        [InlineData("https://example.com", true)]
        [InlineData("http://example.com", false)]
        [InlineData("http://10.0.0.5:4566", false)]
        public void A_token_goes_over_plain_http_only_to_loopback(string url, bool allowed)
        {
            var settings = CognitoSettings.Load(url, null, Env(), null);
            if (allowed)
            {
                settings.ResolveEndpoint("us-east-1", carriesAccessToken: true);
            }
            else
            {
                Assert.Equal("InsecureEndpoint", Fails(() => settings.ResolveEndpoint("us-east-1", carriesAccessToken: true)).ErrorCode);
                settings.ResolveEndpoint("us-east-1", carriesAccessToken: false); // Admin calls carry no token
            }
        }

        [Fact]
        public void Fips_and_dual_stack_from_the_environment()
        {
            Assert.Equal(new Uri("https://cognito-idp-fips.us-west-2.amazonaws.com"),
                CognitoSettings.Load(null, null, Env(("AWS_USE_FIPS_ENDPOINT", "true")), null).ResolveEndpoint("us-west-2", true));
            Assert.Equal(new Uri("https://cognito-idp.cn-north-1.api.amazonwebservices.com.cn"),
                CognitoSettings.Load(null, null, Env(("AWS_USE_DUALSTACK_ENDPOINT", "TRUE")), null).ResolveEndpoint("cn-north-1", true));
            var fipsCustom = CognitoSettings.Load("https://localhost:8443", null, Env(("AWS_USE_FIPS_ENDPOINT", "true")), null);
            Assert.Equal("EndpointConfigurationInvalid", Fails(() => fipsCustom.ResolveEndpoint("us-east-1", true)).ErrorCode);
        }

        [Theory]
        [InlineData(null, 3)]
        [InlineData("1", 1)]
        [InlineData("10", 10)]
        [InlineData("0", -1)]
        [InlineData("21", -1)]
        [InlineData("three", -1)]
        [InlineData("-2", -1)]
        public void Max_attempts_from_AWS_MAX_ATTEMPTS(string? value, int expected)
        {
            var env = value is null ? Env() : Env(("AWS_MAX_ATTEMPTS", value));
            if (expected > 0) Assert.Equal(expected, CognitoSettings.Load(null, null, env, null).MaxAttempts);
            else Assert.Equal("MaxAttemptsInvalid", Fails(() => CognitoSettings.Load(null, null, env, null)).ErrorCode);
        }

        [Fact]
        public void Retry_mode_adaptive()
        {
            Assert.True(CognitoSettings.Load(null, null, Env(("AWS_RETRY_MODE", "adaptive")), null).Adaptive);
            Assert.False(CognitoSettings.Load(null, null, Env(("AWS_RETRY_MODE", "standard")), null).Adaptive);
            Assert.False(CognitoSettings.Load(null, null, Env(), null).Adaptive);
        }

        [Fact]
        public void Region_missing_or_invalid_are_configuration_errors_that_say_what_to_do()
        {
            var settings = CognitoSettings.Load(null, null, Env(), Path.Combine(Path.GetTempPath(), "no-home-" + Guid.NewGuid()));
            var missing = Fails(() => settings.ResolveRegion(null, null, null, "local_0a"));
            Assert.Equal("RegionNotFound", missing.ErrorCode);
            Assert.Contains("-Region", missing.Message);
            Assert.Equal("RegionInvalid", Fails(() => settings.ResolveRegion("us east 1", null, null, null)).ErrorCode);
            Assert.Equal("RegionInvalid", Fails(() => CognitoSettings.Load(null, null, Env(("AWS_REGION", "not/a/region")), null).ResolveRegion(null, null, null, null)).ErrorCode);
        }

        [Fact]
        public void Region_and_settings_from_the_profile_in_the_config_file()
        {
            string dir = Directory.CreateTempSubdirectory("cd-config-").FullName;
            try
            {
                string config = Path.Combine(dir, "config");
                File.WriteAllText(config, "[default]\nregion = eu-north-1\n\n[profile ops]\nregion = ap-northeast-3\nmax_attempts = 7\nretry_mode = adaptive\n");
                var env = Env(("AWS_CONFIG_FILE", config), ("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(dir, "none")));
                var byDefault = CognitoSettings.Load(null, null, env, dir);
                var r = byDefault.ResolveRegion(null, null, null, "local_0a");
                Assert.Equal(("eu-north-1", RegionSource.Profile), (r.Region, r.Source));
                var ops = CognitoSettings.Load(null, "ops", env, dir);
                Assert.Equal("ap-northeast-3", ops.ResolveRegion(null, null, null, null).Region);
                Assert.Equal(7, ops.MaxAttempts);
                Assert.True(ops.Adaptive);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
