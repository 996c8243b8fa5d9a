using System;
using System.Collections.Generic;
using System.Text;
using CognitoDevice.Configuration;
using Xunit;

namespace CognitoDevice.Tests.Configuration
{
    public class RegionResolverTests
    {
        internal static string Jwt(string payloadJson) =>
            B64("{\"kid\":\"k\",\"alg\":\"RS256\"}") + "." + B64(payloadJson) + ".c2lnbmF0dXJl";

        private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        private static Func<string, string?> Env(params (string, string)[] vars)
        {
            var d = new Dictionary<string, string>();
            foreach (var (k, v) in vars) d[k] = v;
            return k => d.TryGetValue(k, out string? v) ? v : null;
        }

        [Theory]
        [InlineData("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC", "eu-west-1")]
        [InlineData("https://issuer-cognito-idp.ap-southeast-2.amazonaws.com/ap-southeast-2_X", "ap-southeast-2")]
        [InlineData("https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_X", "cn-north-1")]
        [InlineData("https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_X", "us-gov-west-1")]
        [InlineData("http://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC", null)]   // not https
        [InlineData("https://evil.example.com/eu-west-1_AbC", null)]
        [InlineData("https://cognito-idp.eu-west-1.amazonaws.com.evil.com/x", null)]
        [InlineData("not a url", null)]
        public void Region_from_the_token_issuer(string issuer, string? region) =>
            Assert.Equal(region, RegionResolver.RegionFromAccessToken(Jwt("{\"iss\":\"" + issuer + "\",\"token_use\":\"access\"}")));

        [Theory]
        [InlineData("")]
        [InlineData("abc")]
        [InlineData("a.b")]
        [InlineData("a.!!!.c")]
        [InlineData("a.e30.c")]            // {} : no iss
        [InlineData("a.bm90IGpzb24.c")]    // "not json"
        public void A_token_without_a_readable_issuer_gives_no_region(string token) => Assert.Null(RegionResolver.RegionFromAccessToken(token));

        [Theory]
        [InlineData("us-east-1_0a1b", "us-east-1")]
        [InlineData("us-gov-west-1_AbC", "us-gov-west-1")]
        [InlineData("eusc-de-east-1_x", "eusc-de-east-1")]
        [InlineData("local_0a1b", null)]
        [InlineData("US-EAST-1_0a", null)]
        [InlineData("0a1b", null)]
        public void Region_from_an_id_prefix(string id, string? region) => Assert.Equal(region, RegionResolver.RegionFromPrefix(id));

        [Fact]
        public void Precedence_is_parameter_token_pool_key_env_profile()
        {
            string token = Jwt("{\"iss\":\"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_A\"}");
            var env = Env(("AWS_REGION", "sa-east-1"), ("AWS_DEFAULT_REGION", "ca-central-1"));
            string profile() => "af-south-1";

            Assert.Equal(RegionSource.RegionParameter, RegionResolver.Resolve("us-west-2", token, "ap-south-1_X", "me-south-1_0a", env, profile)!.Source);
            var fromToken = RegionResolver.Resolve(null, token, "ap-south-1_X", "me-south-1_0a", env, profile)!;
            Assert.Equal(("eu-west-1", RegionSource.AccessTokenIssuer), (fromToken.Region, fromToken.Source));
            Assert.Contains("access token", fromToken.Description);
            Assert.DoesNotContain(token, fromToken.Description);
            Assert.Equal(("ap-south-1", RegionSource.UserPoolId), Pick(RegionResolver.Resolve(null, null, "ap-south-1_X", "me-south-1_0a", env, profile)));
            Assert.Equal(("me-south-1", RegionSource.DeviceKey), Pick(RegionResolver.Resolve(null, null, null, "me-south-1_0a", env, profile)));
            Assert.Equal(("sa-east-1", RegionSource.AwsRegionVariable), Pick(RegionResolver.Resolve(null, null, null, "local_0a", env, profile)));
            Assert.Equal(("ca-central-1", RegionSource.AwsDefaultRegionVariable), Pick(RegionResolver.Resolve(null, null, null, null, Env(("AWS_DEFAULT_REGION", "ca-central-1")), profile)));
            Assert.Equal(("af-south-1", RegionSource.Profile), Pick(RegionResolver.Resolve(null, null, null, null, Env(), profile)));
            Assert.Null(RegionResolver.Resolve(null, null, null, null, Env(), () => null));
        }

        private static (string, RegionSource) Pick(RegionResolution? r) => (r!.Region, r.Source);
    }
}
