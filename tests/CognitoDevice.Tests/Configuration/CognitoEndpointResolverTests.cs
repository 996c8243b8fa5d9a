using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CognitoDevice.Configuration;
using Xunit;

namespace CognitoDevice.Tests.Configuration
{
    /// <summary>
    /// Tests of <see cref="CognitoEndpointResolver"/> and <see cref="AwsPartition"/>: hand-written expectations,
    /// and an oracle that interprets tests/ServiceModel/endpoint-rule-set-1.json with a small generic Smithy
    /// rules-engine interpreter and must agree with the hand-written resolver over a matrix of inputs.
    /// </summary>
    public sealed class CognitoEndpointResolverTests
    {
        private const string LocalOverride = "https://localhost:8443";

        // ---------------------------------------------------------------- hand-written expectations

        [Theory]
        // aws: plain, FIPS, dual-stack (amazonaws.com in aws), and FIPS + dual-stack with the four US special cases.
        [InlineData("us-east-1", false, false, "https://cognito-idp.us-east-1.amazonaws.com/")]
        [InlineData("us-east-1", true, false, "https://cognito-idp-fips.us-east-1.amazonaws.com/")]
        [InlineData("us-east-1", false, true, "https://cognito-idp.us-east-1.amazonaws.com/")]
        [InlineData("us-east-1", true, true, "https://cognito-idp-fips.us-east-1.amazonaws.com/")]
        [InlineData("us-east-2", true, true, "https://cognito-idp-fips.us-east-2.amazonaws.com/")]
        [InlineData("us-west-1", true, true, "https://cognito-idp-fips.us-west-1.amazonaws.com/")]
        [InlineData("us-west-2", true, true, "https://cognito-idp-fips.us-west-2.amazonaws.com/")]
        [InlineData("us-west-2", false, false, "https://cognito-idp.us-west-2.amazonaws.com/")]
        [InlineData("eu-west-1", false, false, "https://cognito-idp.eu-west-1.amazonaws.com/")]
        [InlineData("eu-west-1", true, false, "https://cognito-idp-fips.eu-west-1.amazonaws.com/")]
        [InlineData("eu-west-1", false, true, "https://cognito-idp.eu-west-1.amazonaws.com/")]
        [InlineData("eu-west-1", true, true, "https://cognito-idp-fips.eu-west-1.api.aws/")]
        [InlineData("ca-central-1", true, true, "https://cognito-idp-fips.ca-central-1.api.aws/")]
        [InlineData("ap-southeast-7", false, false, "https://cognito-idp.ap-southeast-7.amazonaws.com/")]
        [InlineData("mx-central-1", false, false, "https://cognito-idp.mx-central-1.amazonaws.com/")]
        [InlineData("il-central-1", false, true, "https://cognito-idp.il-central-1.amazonaws.com/")]
        [InlineData("aws-global", false, false, "https://cognito-idp.aws-global.amazonaws.com/")]
        // Unknown names fall back to aws, as aws.partition does.
        [InlineData("xx-west-9", false, false, "https://cognito-idp.xx-west-9.amazonaws.com/")]
        [InlineData("xx-west-9", true, true, "https://cognito-idp-fips.xx-west-9.api.aws/")]
        [InlineData("local", false, false, "https://cognito-idp.local.amazonaws.com/")]
        [InlineData("eusc-fr-east-1", false, false, "https://cognito-idp.eusc-fr-east-1.amazonaws.com/")]
        // aws-cn
        [InlineData("cn-north-1", false, false, "https://cognito-idp.cn-north-1.amazonaws.com.cn/")]
        [InlineData("cn-north-1", true, false, "https://cognito-idp-fips.cn-north-1.amazonaws.com.cn/")]
        [InlineData("cn-north-1", false, true, "https://cognito-idp.cn-north-1.api.amazonwebservices.com.cn/")]
        [InlineData("cn-northwest-1", true, true, "https://cognito-idp-fips.cn-northwest-1.api.amazonwebservices.com.cn/")]
        [InlineData("cn-south-7", false, false, "https://cognito-idp.cn-south-7.amazonaws.com.cn/")]
        [InlineData("aws-cn-global", false, false, "https://cognito-idp.aws-cn-global.amazonaws.com.cn/")]
        // aws-us-gov: its regex wins over the aws one.
        [InlineData("us-gov-west-1", false, false, "https://cognito-idp.us-gov-west-1.amazonaws.com/")]
        [InlineData("us-gov-west-1", true, false, "https://cognito-idp-fips.us-gov-west-1.amazonaws.com/")]
        [InlineData("us-gov-west-1", false, true, "https://cognito-idp.us-gov-west-1.api.aws/")]
        [InlineData("us-gov-east-1", true, true, "https://cognito-idp-fips.us-gov-east-1.api.aws/")]
        [InlineData("us-gov-central-4", true, true, "https://cognito-idp-fips.us-gov-central-4.api.aws/")]
        [InlineData("aws-us-gov-global", false, false, "https://cognito-idp.aws-us-gov-global.amazonaws.com/")]
        // The isolated partitions and aws-eusc: FIPS yes, dual-stack no.
        [InlineData("us-iso-east-1", false, false, "https://cognito-idp.us-iso-east-1.c2s.ic.gov/")]
        [InlineData("us-iso-west-1", true, false, "https://cognito-idp-fips.us-iso-west-1.c2s.ic.gov/")]
        [InlineData("aws-iso-global", false, false, "https://cognito-idp.aws-iso-global.c2s.ic.gov/")]
        [InlineData("us-isob-east-1", false, false, "https://cognito-idp.us-isob-east-1.sc2s.sgov.gov/")]
        [InlineData("us-isob-east-1", true, false, "https://cognito-idp-fips.us-isob-east-1.sc2s.sgov.gov/")]
        [InlineData("eu-isoe-west-1", false, false, "https://cognito-idp.eu-isoe-west-1.cloud.adc-e.uk/")]
        [InlineData("eu-isoe-west-1", true, false, "https://cognito-idp-fips.eu-isoe-west-1.cloud.adc-e.uk/")]
        [InlineData("us-isof-south-1", false, false, "https://cognito-idp.us-isof-south-1.csp.hci.ic.gov/")]
        [InlineData("us-isof-east-1", true, false, "https://cognito-idp-fips.us-isof-east-1.csp.hci.ic.gov/")]
        [InlineData("eusc-de-east-1", false, false, "https://cognito-idp.eusc-de-east-1.amazonaws.eu/")]
        [InlineData("eusc-de-east-1", true, false, "https://cognito-idp-fips.eusc-de-east-1.amazonaws.eu/")]
        public void Resolve_RegionalEndpoints(string region, bool useFips, bool useDualStack, string expected)
        {
            Uri endpoint = CognitoEndpointResolver.Resolve(region, useFips, useDualStack, null);
            Assert.Equal(expected, endpoint.AbsoluteUri);
        }

        [Theory]
        [InlineData(null, "https://localhost:8443", "https://localhost:8443/")]
        [InlineData("us-east-1", "https://localhost:8443", "https://localhost:8443/")]
        [InlineData("us-east-1", "http://127.0.0.1:9229/local/", "http://127.0.0.1:9229/local/")]
        [InlineData("us-east-1", "https://proxy.example.com/cognito", "https://proxy.example.com/cognito")]
        [InlineData("us-east-1", "HTTPS://Proxy.Example.com", "https://proxy.example.com/")]
        [InlineData("us-east-1", "http://[::1]:4566", "http://[::1]:4566/")]
        // With a custom endpoint the Region is not used, so it is not checked either.
        [InlineData("NOT A REGION", "https://localhost:8443", "https://localhost:8443/")]
        [InlineData("", "https://localhost:8443", "https://localhost:8443/")]
        public void Resolve_CustomEndpoint_IsUsedAsGiven(string? region, string endpointOverride, string expected)
        {
            Uri endpoint = CognitoEndpointResolver.Resolve(region, false, false, endpointOverride);
            Assert.Equal(expected, endpoint.AbsoluteUri);
        }

        [Theory]
        [InlineData(null, false, false, null)]
        [InlineData("", false, false, null)]
        [InlineData("   ", false, false, null)]
        [InlineData(null, true, true, null)]
        // An empty custom endpoint counts as none.
        [InlineData(null, false, false, "")]
        public void Resolve_WithoutRegion_IsRegionMissing(string? region, bool useFips, bool useDualStack, string? endpointOverride)
        {
            EndpointResolutionException ex = Assert.Throws<EndpointResolutionException>(
                () => CognitoEndpointResolver.Resolve(region, useFips, useDualStack, endpointOverride));

            Assert.Equal("RegionMissing", ex.ErrorId);
            Assert.StartsWith(CognitoEndpointResolver.MissingRegionError, ex.Message, StringComparison.Ordinal);
            Assert.Contains("-Region", ex.Message, StringComparison.Ordinal);
            Assert.Contains("AWS_REGION", ex.Message, StringComparison.Ordinal);
        }

        [Theory]
        // Custom endpoint with FIPS or dual-stack: the rule set's errors, FIPS checked first, Region not needed.
        [InlineData("us-east-1", true, false, LocalOverride, "Invalid Configuration: FIPS and custom endpoint are not supported", "AWS_USE_FIPS_ENDPOINT")]
        [InlineData(null, true, false, LocalOverride, "Invalid Configuration: FIPS and custom endpoint are not supported", "endpoint_url")]
        [InlineData("us-east-1", true, true, LocalOverride, "Invalid Configuration: FIPS and custom endpoint are not supported", "use_fips_endpoint")]
        [InlineData("us-east-1", false, true, LocalOverride, "Invalid Configuration: Dualstack and custom endpoint are not supported", "AWS_USE_DUALSTACK_ENDPOINT")]
        [InlineData("us-east-1", true, false, "not a url", "Invalid Configuration: FIPS and custom endpoint are not supported", "AWS_ENDPOINT_URL")]
        // Partitions without dual-stack endpoints.
        [InlineData("us-iso-east-1", false, true, null, "DualStack is enabled but this partition does not support DualStack", "aws-iso partition")]
        [InlineData("us-iso-east-1", true, true, null, "FIPS and DualStack are enabled, but this partition does not support one or both", "no dual-stack")]
        [InlineData("aws-iso-global", true, true, null, "FIPS and DualStack are enabled, but this partition does not support one or both", "aws-iso partition")]
        [InlineData("us-isob-east-1", false, true, null, "DualStack is enabled but this partition does not support DualStack", "aws-iso-b partition")]
        [InlineData("us-isob-east-1", true, true, null, "FIPS and DualStack are enabled, but this partition does not support one or both", "use_dualstack_endpoint")]
        [InlineData("eu-isoe-west-1", false, true, null, "DualStack is enabled but this partition does not support DualStack", "aws-iso-e partition")]
        [InlineData("us-isof-south-1", false, true, null, "DualStack is enabled but this partition does not support DualStack", "aws-iso-f partition")]
        [InlineData("us-isof-east-1", true, true, null, "FIPS and DualStack are enabled, but this partition does not support one or both", "aws-iso-f partition")]
        [InlineData("eusc-de-east-1", false, true, null, "DualStack is enabled but this partition does not support DualStack", "aws-eusc partition")]
        [InlineData("eusc-de-east-1", true, true, null, "FIPS and DualStack are enabled, but this partition does not support one or both", "aws-eusc partition")]
        public void Resolve_UnsupportedCombination_IsEndpointConfigurationInvalid(
            string? region, bool useFips, bool useDualStack, string? endpointOverride, string ruleSetError, string advice)
        {
            EndpointResolutionException ex = Assert.Throws<EndpointResolutionException>(
                () => CognitoEndpointResolver.Resolve(region, useFips, useDualStack, endpointOverride));

            Assert.Equal("EndpointConfigurationInvalid", ex.ErrorId);
            Assert.StartsWith(ruleSetError, ex.Message, StringComparison.Ordinal);
            Assert.Contains(advice, ex.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("US-EAST-1")]
        [InlineData("Us-east-1")]
        [InlineData("us_east_1")]
        [InlineData("us-east-1.")]
        [InlineData("us-east-1.evil.example")]
        [InlineData("-us-east-1")]
        [InlineData("us-east-1-")]
        [InlineData("us east 1")]
        [InlineData(" us-east-1")]
        [InlineData("us-east-1\n")]
        [InlineData("us-east-1/x")]
        [InlineData("us-east-1:443")]
        [InlineData("us-east-1@evil")]
        [InlineData("évora-1")]
        [InlineData("-")]
        [InlineData("a123456789b123456789c123456789d123456789e123456789f123456789g123")]
        public void Resolve_InvalidRegion_IsRegionInvalid_ForEverySwitch(string region)
        {
            foreach (bool useFips in new[] { false, true })
            {
                foreach (bool useDualStack in new[] { false, true })
                {
                    EndpointResolutionException ex = Assert.Throws<EndpointResolutionException>(
                        () => CognitoEndpointResolver.Resolve(region, useFips, useDualStack, null));

                    Assert.Equal("RegionInvalid", ex.ErrorId);
                    Assert.Contains("is not a valid AWS Region name", ex.Message, StringComparison.Ordinal);
                    Assert.Contains("-Region us-east-1", ex.Message, StringComparison.Ordinal);
                    Assert.DoesNotContain("\n", ex.Message, StringComparison.Ordinal);
                }
            }
        }

        [Theory]
        [InlineData("localhost:8443", "does not start with http:// or https://", null)]
        [InlineData("not a url", "does not start with http:// or https://", null)]
        [InlineData("/relative/path", "does not start with http:// or https://", null)]
        [InlineData("ftp://example.com", "its scheme is 'ftp', but only http and https are supported", null)]
        [InlineData("mailto://someone@example.com", "user information", "someone")]
        [InlineData("http://:8080/", "is not an absolute URL|has no host", null)]
        [InlineData("file:///etc/passwd", "scheme is 'file'", null)]
        [InlineData("https://", "is not an absolute URL", null)]
        [InlineData(" ", "is blank", null)]
        [InlineData(" https://localhost:8443", "white space", null)]
        [InlineData("https://localhost:8443?x=1", "query string", null)]
        [InlineData("https://localhost:8443/?", "query string", null)]
        [InlineData("https://localhost:8443/#frag", "fragment", null)]
        [InlineData("https://localhost:8443#", "fragment", null)]
        [InlineData("https://admin:s3cr3t@localhost:8443", "user information", "s3cr3t")]
        [InlineData("https://admin@localhost:8443", "user information", "admin")]
        [InlineData("https://admin:p@ss@localhost:8443/", "user information", "p@ss")]
        [InlineData("admin:s3cr3t@localhost", "user information", "s3cr3t")]
        [InlineData("https://admin:s3cr/3t@localhost", "is not an absolute URL", "s3cr")]
        public void Resolve_InvalidCustomEndpoint_IsEndpointUrlInvalid(string endpointOverride, string expectedProblem, string? secret)
        {
            EndpointResolutionException ex = Assert.Throws<EndpointResolutionException>(
                () => CognitoEndpointResolver.Resolve("us-east-1", false, false, endpointOverride));

            Assert.Equal("EndpointUrlInvalid", ex.ErrorId);
            Assert.StartsWith("The custom endpoint URL '", ex.Message, StringComparison.Ordinal);
            Assert.Matches(expectedProblem, ex.Message);
            Assert.Contains("Give an absolute http:// or https:// URL", ex.Message, StringComparison.Ordinal);
            if (secret != null)
            {
                Assert.DoesNotContain(secret, ex.Message, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void Resolve_InvalidCustomEndpoint_EchoesTheUrlWithoutUserInfo()
        {
            EndpointResolutionException ex = Assert.Throws<EndpointResolutionException>(
                () => CognitoEndpointResolver.Resolve(null, false, false, "https://admin:s3cr3t@localhost:8443/path"));

            Assert.Contains("'https://localhost:8443/path'", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Resolve_FipsWithCustomEndpoint_EchoesTheUrlWithoutUserInfo()
        {
            EndpointResolutionException ex = Assert.Throws<EndpointResolutionException>(
                () => CognitoEndpointResolver.Resolve(null, true, false, "https://admin:s3cr3t@localhost:8443"));

            Assert.Equal("EndpointConfigurationInvalid", ex.ErrorId);
            Assert.Contains("'https://localhost:8443'", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cr3t", ex.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("https://user:pw@host/x", "https://host/x")]
        [InlineData("https://host/x", "https://host/x")]
        [InlineData("https://host/?mail=a@b", "https://host/?mail=a@b")]
        [InlineData("u:pw@host", "host")]
        [InlineData("https://a@b@host", "https://host")]
        [InlineData("https://host\n/x", "https://host?/x")]
        public void RedactForDisplay_RemovesUserInfo(string value, string expected)
        {
            Assert.Equal(expected, CognitoEndpointResolver.RedactForDisplay(value));
        }

        [Fact]
        public void EndpointResolutionException_MessageOnlyConstructor_IsEndpointConfigurationInvalid()
        {
            var ex = new EndpointResolutionException("message");
            Assert.Equal("EndpointConfigurationInvalid", ex.ErrorId);
            Assert.Equal("message", ex.Message);
        }

        [Theory]
        [InlineData("us-east-1", true)]
        [InlineData("a", true)]
        [InlineData("0", true)]
        [InlineData("a-b", true)]
        [InlineData("a--b", true)]
        [InlineData("123", true)]
        [InlineData("aws-global", true)]
        [InlineData("a123456789b123456789c123456789d123456789e123456789f123456789g12", true)]
        [InlineData("a123456789b123456789c123456789d123456789e123456789f123456789g123", false)]
        [InlineData("", false)]
        [InlineData("-", false)]
        [InlineData("-a", false)]
        [InlineData("a-", false)]
        [InlineData("A", false)]
        [InlineData("us-East-1", false)]
        [InlineData("a_b", false)]
        [InlineData("a.b", false)]
        [InlineData("a b", false)]
        [InlineData("a\n", false)]
        [InlineData("\u00fc", false)]
        [InlineData("\u0661", false)]
        public void IsValidRegion_IsADnsHostLabel(string region, bool expected)
        {
            Assert.Equal(expected, CognitoEndpointResolver.IsValidRegion(region));
            Assert.Equal(expected, Regex.IsMatch(region, @"\A[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\z"));
        }

        [Theory]
        [InlineData("us-east-1", "aws")]
        [InlineData("us-west-2", "aws")]
        [InlineData("mx-central-1", "aws")]
        [InlineData("ap-southeast-7", "aws")]
        [InlineData("af-north-9", "aws")]
        [InlineData("aws-global", "aws")]
        [InlineData("xx-west-9", "aws")]
        [InlineData("local", "aws")]
        [InlineData("US-GOV-WEST-1", "aws")]
        [InlineData("eusc-fr-east-1", "aws")]
        [InlineData("us-gov-1", "aws")]
        [InlineData("cn-north-1", "aws-cn")]
        [InlineData("cn-northwest-1", "aws-cn")]
        [InlineData("cn-east-5", "aws-cn")]
        [InlineData("aws-cn-global", "aws-cn")]
        [InlineData("us-gov-west-1", "aws-us-gov")]
        [InlineData("us-gov-east-1", "aws-us-gov")]
        [InlineData("us-gov-central-4", "aws-us-gov")]
        [InlineData("aws-us-gov-global", "aws-us-gov")]
        [InlineData("us-iso-east-1", "aws-iso")]
        [InlineData("us-iso-west-1", "aws-iso")]
        [InlineData("us-iso-south-3", "aws-iso")]
        [InlineData("aws-iso-global", "aws-iso")]
        [InlineData("us-isob-east-1", "aws-iso-b")]
        [InlineData("us-isob-west-2", "aws-iso-b")]
        [InlineData("aws-iso-b-global", "aws-iso-b")]
        [InlineData("eu-isoe-west-1", "aws-iso-e")]
        [InlineData("eu-isoe-north-2", "aws-iso-e")]
        [InlineData("aws-iso-e-global", "aws-iso-e")]
        [InlineData("us-isof-south-1", "aws-iso-f")]
        [InlineData("us-isof-east-1", "aws-iso-f")]
        [InlineData("aws-iso-f-global", "aws-iso-f")]
        [InlineData("eusc-de-east-1", "aws-eusc")]
        [InlineData("eusc-de-west-2", "aws-eusc")]
        [InlineData("cn-north-1\n", "aws")]
        public void PartitionFor_ListedName_ElseRegex_ElseAws(string region, string expectedPartition)
        {
            Assert.Equal(expectedPartition, AwsPartition.PartitionFor(region).Name);
        }

        [Fact]
        public void PartitionTable_RegexesDoNotOverlap_AndEveryListedRegionMatchesOnlyItsOwnPartition()
        {
            var candidates = new List<string>
            {
                "us-east-1", "us-gov-west-1", "us-iso-east-1", "us-isob-east-1", "us-isof-south-1", "eu-isoe-west-1",
                "eusc-de-east-1", "cn-north-1", "us-gov-x-1", "us-iso-x-1", "us-isob-x-1", "us-isof-x-1", "eu-isoe-x-1",
            };
            foreach (AwsPartition partition in AwsPartition.All)
            {
                candidates.AddRange(partition.Regions);
            }

            foreach (string region in candidates)
            {
                List<string> matching = AwsPartition.All.Where(p => p.MatchesRegionRegex(region)).Select(p => p.Name).ToList();
                Assert.True(matching.Count <= 1, region + " matches " + string.Join(", ", matching));

                AwsPartition? lister = AwsPartition.All.SingleOrDefault(p => p.Regions.Contains(region));
                if (lister != null && matching.Count == 1)
                {
                    Assert.Equal(lister.Name, matching[0]);
                }
            }

            Assert.Equal("aws", AwsPartition.All[0].Name);
        }

        [Fact]
        public void PartitionTable_EqualsTheBotocorePartitionsData()
        {
            using JsonDocument document = JsonDocument.Parse(BotocorePartitionsJson);
            JsonElement[] partitions = document.RootElement.GetProperty("partitions").EnumerateArray().ToArray();

            Assert.Equal(partitions.Select(p => p.GetProperty("id").GetString()), AwsPartition.All.Select(p => p.Name));
            for (int i = 0; i < partitions.Length; i++)
            {
                JsonElement expected = partitions[i];
                JsonElement outputs = expected.GetProperty("outputs");
                AwsPartition actual = AwsPartition.All[i];

                Assert.Equal(outputs.GetProperty("name").GetString(), actual.Name);
                Assert.Equal(outputs.GetProperty("dnsSuffix").GetString(), actual.DnsSuffix);
                Assert.Equal(outputs.GetProperty("dualStackDnsSuffix").GetString(), actual.DualStackDnsSuffix);
                Assert.Equal(outputs.GetProperty("supportsFIPS").GetBoolean(), actual.SupportsFips);
                Assert.Equal(outputs.GetProperty("supportsDualStack").GetBoolean(), actual.SupportsDualStack);
                Assert.Equal(outputs.GetProperty("implicitGlobalRegion").GetString(), actual.ImplicitGlobalRegion);
                Assert.Equal(expected.GetProperty("regionRegex").GetString(), actual.RegionRegex);
                Assert.Equal(
                    expected.GetProperty("regions").EnumerateObject().Select(r => r.Name).OrderBy(r => r, StringComparer.Ordinal),
                    actual.Regions.OrderBy(r => r, StringComparer.Ordinal));
            }
        }

        // ---------------------------------------------------------------- the oracle

        [Theory]
        [MemberData(nameof(MatrixCases))]
        public void Resolve_AgreesWithTheRuleSet(string? region, bool useFips, bool useDualStack, string? endpointOverride)
        {
            OracleResult expected = Oracle.Value.Evaluate(region, useFips, useDualStack, endpointOverride);
            AssertAgrees(expected, region, useFips, useDualStack, endpointOverride);
        }

        [Fact]
        public void OracleMatrix_ReachesEveryEndpointAndEveryReachableErrorOfTheRuleSet()
        {
            var urlsSeen = new HashSet<string>(StringComparer.Ordinal);
            var errorsSeen = new HashSet<string>(StringComparer.Ordinal);
            foreach (object?[] row in MatrixCases())
            {
                OracleResult result = Oracle.Value.Evaluate((string?)row[0], (bool)row[1]!, (bool)row[2]!, (string?)row[3]);
                if (result.Error != null)
                {
                    errorsSeen.Add(result.Error);
                }
                else
                {
                    urlsSeen.Add(result.RuleUrlTemplate!);
                }
            }

            RuleSetOracle oracle = Oracle.Value;
            Assert.Equal(oracle.AllEndpointTemplates.OrderBy(t => t, StringComparer.Ordinal), urlsSeen.OrderBy(t => t, StringComparer.Ordinal));

            // Every partition has FIPS endpoints, so "FIPS is enabled but this partition does not support FIPS" cannot happen.
            Assert.All(AwsPartition.All, p => Assert.True(p.SupportsFips));
            Assert.Equal(
                oracle.AllErrors.Where(e => e != CognitoEndpointResolver.FipsUnsupportedError).OrderBy(e => e, StringComparer.Ordinal),
                errorsSeen.OrderBy(e => e, StringComparer.Ordinal));
        }

        [Fact]
        public void RuleSet_HasTheParametersAndErrorsTheResolverImplements()
        {
            RuleSetOracle oracle = Oracle.Value;
            Assert.Equal(new[] { "Endpoint", "Region", "UseDualStack", "UseFIPS" }, oracle.ParameterNames.OrderBy(n => n, StringComparer.Ordinal));

            var implemented = new[]
            {
                CognitoEndpointResolver.FipsWithCustomEndpointError,
                CognitoEndpointResolver.DualStackWithCustomEndpointError,
                CognitoEndpointResolver.FipsAndDualStackUnsupportedError,
                CognitoEndpointResolver.FipsUnsupportedError,
                CognitoEndpointResolver.DualStackUnsupportedError,
                CognitoEndpointResolver.MissingRegionError,
            };
            Assert.Equal(implemented.OrderBy(e => e, StringComparer.Ordinal), oracle.AllErrors.OrderBy(e => e, StringComparer.Ordinal));
        }

        [Theory]
        [InlineData(null, "Invalid Configuration: Missing Region")]
        [InlineData("us-east-1", "https://cognito-idp.us-east-1.amazonaws.com")]
        public void Oracle_SanityChecks(string? region, string expected)
        {
            OracleResult result = Oracle.Value.Evaluate(region, false, false, null);
            Assert.Equal(expected, result.Error ?? result.Url);
        }

        public static IEnumerable<object?[]> MatrixCases()
        {
            string?[] regions =
            {
                null,
                // aws, listed and by regex, and the global pseudo-region
                "us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-central-2", "ap-southeast-7", "ap-east-2",
                "mx-central-1", "il-central-1", "af-south-1", "ca-west-1", "me-central-1", "sa-east-1", "us-north-9", "aws-global",
                // aws-cn
                "cn-north-1", "cn-northwest-1", "cn-south-9", "aws-cn-global",
                // aws-us-gov
                "us-gov-west-1", "us-gov-east-1", "us-gov-north-7", "aws-us-gov-global",
                // aws-iso, aws-iso-b, aws-iso-e, aws-iso-f
                "us-iso-east-1", "us-iso-west-1", "us-iso-south-5", "aws-iso-global",
                "us-isob-east-1", "us-isob-west-2", "aws-iso-b-global",
                "eu-isoe-west-1", "eu-isoe-north-2", "aws-iso-e-global",
                "us-isof-south-1", "us-isof-east-1", "us-isof-north-3", "aws-iso-f-global",
                // aws-eusc
                "eusc-de-east-1", "eusc-de-west-2",
                // unknown names: the default partition
                "xx-west-9", "eusc-fr-east-1", "us-gov-1", "us-east-1-fips", "fips-us-gov-west-1", "local", "a", "cn-1", "mars-1",
            };

            foreach (string? region in regions)
            {
                foreach (bool useFips in new[] { false, true })
                {
                    foreach (bool useDualStack in new[] { false, true })
                    {
                        foreach (string? endpointOverride in new[] { null, LocalOverride })
                        {
                            yield return new object?[] { region, useFips, useDualStack, endpointOverride };
                        }
                    }
                }
            }
        }

        private static void AssertAgrees(OracleResult expected, string? region, bool useFips, bool useDualStack, string? endpointOverride)
        {
            Uri? actual = null;
            EndpointResolutionException? error = null;
            try
            {
                actual = CognitoEndpointResolver.Resolve(region, useFips, useDualStack, endpointOverride);
            }
            catch (EndpointResolutionException ex)
            {
                error = ex;
            }

            if (expected.Url != null)
            {
                Assert.True(error == null, "the rule set gives " + expected.Url + " but the resolver failed: " + error?.Message);
                Assert.Equal(new Uri(expected.Url).AbsoluteUri, actual!.AbsoluteUri);
            }
            else
            {
                Assert.True(error != null, "the rule set fails with '" + expected.Error + "' but the resolver gave " + actual);
                Assert.StartsWith(expected.Error!, error!.Message, StringComparison.Ordinal);
                string expectedId = expected.Error == CognitoEndpointResolver.MissingRegionError
                    ? "RegionMissing"
                    : "EndpointConfigurationInvalid";
                Assert.Equal(expectedId, error.ErrorId);
            }
        }

        // The rule set is read from the repository (TestPaths finds it above the test binaries by CognitoDevice.sln).
        private static readonly Lazy<RuleSetOracle> Oracle = new Lazy<RuleSetOracle>(
            () => new RuleSetOracle(File.ReadAllText(TestPaths.ServiceModel("endpoint-rule-set-1.json")), BotocorePartitionsJson));

        private sealed class OracleResult
        {
            public OracleResult(string? url, string? ruleUrlTemplate, string? error)
            {
                Url = url;
                RuleUrlTemplate = ruleUrlTemplate;
                Error = error;
            }

            public string? Url { get; }

            public string? RuleUrlTemplate { get; }

            public string? Error { get; }
        }

        /// <summary>
        /// A small, generic interpreter of the Smithy rules-engine JSON: tree, endpoint and error rules,
        /// conditions with assign, references, template strings, and the functions isSet, not, booleanEquals,
        /// stringEquals, getAttr and aws.partition (with botocore's aws.partition semantics: for each partition
        /// in order, a listed name or a regex match; else the first partition). Anything else fails loudly.
        /// </summary>
        private sealed class RuleSetOracle
        {
            private readonly JsonElement _ruleSet;
            private readonly JsonElement _partitions;

            public RuleSetOracle(string ruleSetJson, string partitionsJson)
            {
                _ruleSet = JsonDocument.Parse(ruleSetJson).RootElement.Clone();
                _partitions = JsonDocument.Parse(partitionsJson).RootElement.GetProperty("partitions").Clone();

                ParameterNames = _ruleSet.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();
                var errors = new HashSet<string>(StringComparer.Ordinal);
                var templates = new HashSet<string>(StringComparer.Ordinal);
                Collect(_ruleSet.GetProperty("rules"), errors, templates);
                AllErrors = errors.ToList();
                AllEndpointTemplates = templates.ToList();
            }

            public IReadOnlyList<string> ParameterNames { get; }

            public IReadOnlyList<string> AllErrors { get; }

            public IReadOnlyList<string> AllEndpointTemplates { get; }

            public OracleResult Evaluate(string? region, bool useFips, bool useDualStack, string? endpoint)
            {
                var supplied = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["Region"] = region,
                    ["UseFIPS"] = useFips,
                    ["UseDualStack"] = useDualStack,
                    ["Endpoint"] = endpoint,
                };

                var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (JsonProperty parameter in _ruleSet.GetProperty("parameters").EnumerateObject())
                {
                    if (!supplied.TryGetValue(parameter.Name, out object? value))
                    {
                        throw new NotSupportedException("Unknown parameter " + parameter.Name);
                    }

                    if (value == null && parameter.Value.TryGetProperty("default", out JsonElement defaultValue))
                    {
                        value = Literal(defaultValue);
                    }

                    if (value == null && parameter.Value.TryGetProperty("required", out JsonElement required) && required.GetBoolean())
                    {
                        throw new InvalidOperationException("Required parameter " + parameter.Name + " is missing");
                    }

                    string type = parameter.Value.GetProperty("type").GetString()!;
                    if (value != null && !((type == "string" && value is string) || (type == "boolean" && value is bool)))
                    {
                        throw new InvalidOperationException("Parameter " + parameter.Name + " is not a " + type);
                    }

                    scope[parameter.Name] = value;
                }

                return EvaluateRules(_ruleSet.GetProperty("rules"), scope)
                    ?? throw new InvalidOperationException("No rule matched");
            }

            private static void Collect(JsonElement rules, HashSet<string> errors, HashSet<string> templates)
            {
                foreach (JsonElement rule in rules.EnumerateArray())
                {
                    switch (rule.GetProperty("type").GetString())
                    {
                        case "error":
                            errors.Add(rule.GetProperty("error").GetString()!);
                            break;
                        case "endpoint":
                            templates.Add(rule.GetProperty("endpoint").GetProperty("url").GetRawText());
                            break;
                        case "tree":
                            Collect(rule.GetProperty("rules"), errors, templates);
                            break;
                    }
                }
            }

            private OracleResult? EvaluateRules(JsonElement rules, Dictionary<string, object?> outerScope)
            {
                foreach (JsonElement rule in rules.EnumerateArray())
                {
                    var scope = new Dictionary<string, object?>(outerScope, StringComparer.Ordinal);
                    if (!ConditionsHold(rule.GetProperty("conditions"), scope))
                    {
                        continue;
                    }

                    string type = rule.GetProperty("type").GetString()!;
                    switch (type)
                    {
                        case "endpoint":
                        {
                            JsonElement url = rule.GetProperty("endpoint").GetProperty("url");
                            string value = Evaluate(url, scope) as string
                                ?? throw new InvalidOperationException("Endpoint URL is not a string");
                            return new OracleResult(value, url.GetRawText(), null);
                        }

                        case "error":
                        {
                            string value = Evaluate(rule.GetProperty("error"), scope) as string
                                ?? throw new InvalidOperationException("Error is not a string");
                            return new OracleResult(null, null, value);
                        }

                        case "tree":
                            // A tree whose conditions hold is terminal: one of its rules must match.
                            return EvaluateRules(rule.GetProperty("rules"), scope)
                                ?? throw new InvalidOperationException("A tree rule matched but none of its rules did");

                        default:
                            throw new NotSupportedException("Rule type " + type);
                    }
                }

                return null;
            }

            private bool ConditionsHold(JsonElement conditions, Dictionary<string, object?> scope)
            {
                foreach (JsonElement condition in conditions.EnumerateArray())
                {
                    object? value = Evaluate(condition, scope);
                    if (condition.TryGetProperty("assign", out JsonElement assign))
                    {
                        string name = assign.GetString()!;
                        if (scope.ContainsKey(name))
                        {
                            throw new InvalidOperationException("assign shadows " + name);
                        }

                        if (value != null)
                        {
                            scope[name] = value;
                        }
                    }

                    bool holds = value is bool b ? b : value != null;
                    if (!holds)
                    {
                        return false;
                    }
                }

                return true;
            }

            private object? Evaluate(JsonElement expression, Dictionary<string, object?> scope)
            {
                switch (expression.ValueKind)
                {
                    case JsonValueKind.String:
                        return Template(expression.GetString()!, scope);
                    case JsonValueKind.True:
                    case JsonValueKind.False:
                    case JsonValueKind.Number:
                        return Literal(expression);
                    case JsonValueKind.Object:
                        if (expression.TryGetProperty("ref", out JsonElement reference))
                        {
                            return scope.TryGetValue(reference.GetString()!, out object? value) ? value : null;
                        }

                        if (expression.TryGetProperty("fn", out JsonElement fn))
                        {
                            JsonElement[] argv = expression.GetProperty("argv").EnumerateArray().ToArray();
                            return Call(fn.GetString()!, argv, scope);
                        }

                        break;
                }

                throw new NotSupportedException("Expression " + expression.GetRawText());
            }

            private object? Call(string function, JsonElement[] argv, Dictionary<string, object?> scope)
            {
                object?[] args = argv.Select(a => Evaluate(a, scope)).ToArray();
                switch (function)
                {
                    case "isSet":
                        return args.Single() != null;
                    case "not":
                        return !(bool)args.Single()!;
                    case "booleanEquals":
                        Require(args, 2);
                        return args[0] is bool left && args[1] is bool right && left == right;
                    case "stringEquals":
                        Require(args, 2);
                        return args[0] is string a && args[1] is string b && string.Equals(a, b, StringComparison.Ordinal);
                    case "getAttr":
                        Require(args, 2);
                        return GetAttr(args[0], (string)args[1]!);
                    case "aws.partition":
                        return args.Single() is string region ? Partition(region) : null;
                    default:
                        throw new NotSupportedException("The oracle does not implement the function " + function);
                }
            }

            private static void Require(object?[] args, int count)
            {
                if (args.Length != count)
                {
                    throw new InvalidOperationException("Expected " + count + " arguments");
                }
            }

            private Dictionary<string, object?> Partition(string region)
            {
                JsonElement? found = null;
                foreach (JsonElement partition in _partitions.EnumerateArray())
                {
                    bool listed = partition.GetProperty("regions").TryGetProperty(region, out _);
                    if (listed || Regex.IsMatch(region, partition.GetProperty("regionRegex").GetString()!))
                    {
                        found = partition;
                        break;
                    }
                }

                JsonElement chosen = found ?? _partitions[0];
                var output = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (JsonProperty property in chosen.GetProperty("outputs").EnumerateObject())
                {
                    output[property.Name] = Literal(property.Value);
                }

                output["name"] = chosen.GetProperty("id").GetString();
                return output;
            }

            private static object? GetAttr(object? value, string path)
            {
                foreach (string part in path.Split('.'))
                {
                    Match indexed = Regex.Match(part, @"^(?<name>[^\[]*)\[(?<index>\d+)\]$");
                    string name = indexed.Success ? indexed.Groups["name"].Value : part;
                    if (name.Length > 0)
                    {
                        if (value is not Dictionary<string, object?> record || !record.TryGetValue(name, out value))
                        {
                            return null;
                        }
                    }

                    if (indexed.Success)
                    {
                        int index = int.Parse(indexed.Groups["index"].Value, CultureInfo.InvariantCulture);
                        if (value is not IReadOnlyList<object?> list || index >= list.Count)
                        {
                            return null;
                        }

                        value = list[index];
                    }
                }

                return value;
            }

            private static string Template(string template, Dictionary<string, object?> scope)
            {
                var result = new StringBuilder();
                for (int i = 0; i < template.Length; i++)
                {
                    char c = template[i];
                    if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
                    {
                        result.Append(c);
                        i++;
                        continue;
                    }

                    if (c == '}')
                    {
                        throw new FormatException("Unbalanced '}' in " + template);
                    }

                    if (c != '{')
                    {
                        result.Append(c);
                        continue;
                    }

                    int close = template.IndexOf('}', i + 1);
                    if (close < 0)
                    {
                        throw new FormatException("Unbalanced '{' in " + template);
                    }

                    string name = template.Substring(i + 1, close - i - 1);
                    string[] parts = name.Split('#');
                    if (parts.Length > 2 || !scope.TryGetValue(parts[0], out object? value))
                    {
                        throw new InvalidOperationException("Template reference " + name + " is not bound");
                    }

                    if (parts.Length == 2)
                    {
                        value = GetAttr(value, parts[1]);
                    }

                    result.Append(value as string ?? throw new InvalidOperationException("Template value " + name + " is not a string"));
                    i = close;
                }

                return result.ToString();
            }

            private static object? Literal(JsonElement value)
            {
                switch (value.ValueKind)
                {
                    case JsonValueKind.String:
                        return value.GetString();
                    case JsonValueKind.True:
                        return true;
                    case JsonValueKind.False:
                        return false;
                    case JsonValueKind.Number:
                        return value.GetInt32();
                    case JsonValueKind.Null:
                        return null;
                    default:
                        throw new NotSupportedException("Literal " + value.GetRawText());
                }
            }
        }

        // The partition data of botocore/data/partitions.json (boto/botocore, Apache License 2.0, copyright
        // Amazon.com, Inc. or its affiliates), without the region descriptions. The hand-written table in
        // AwsPartition must equal it, and the oracle's aws.partition reads it.
        private const string BotocorePartitionsJson = """
            {
              "partitions": [
                {
                  "id": "aws",
                  "outputs": { "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws", "implicitGlobalRegion": "us-east-1", "name": "aws", "supportsDualStack": true, "supportsFIPS": true },
                  "regionRegex": "^(us|eu|ap|sa|ca|me|af|il|mx)\\-\\w+\\-\\d+$",
                  "regions": {
                    "af-south-1": {}, "ap-east-1": {}, "ap-east-2": {}, "ap-northeast-1": {}, "ap-northeast-2": {}, "ap-northeast-3": {},
                    "ap-south-1": {}, "ap-south-2": {}, "ap-southeast-1": {}, "ap-southeast-2": {}, "ap-southeast-3": {}, "ap-southeast-4": {},
                    "ap-southeast-5": {}, "ap-southeast-6": {}, "ap-southeast-7": {}, "aws-global": {}, "ca-central-1": {}, "ca-west-1": {},
                    "eu-central-1": {}, "eu-central-2": {}, "eu-north-1": {}, "eu-south-1": {}, "eu-south-2": {}, "eu-west-1": {}, "eu-west-2": {},
                    "eu-west-3": {}, "il-central-1": {}, "me-central-1": {}, "me-south-1": {}, "mx-central-1": {}, "sa-east-1": {},
                    "us-east-1": {}, "us-east-2": {}, "us-west-1": {}, "us-west-2": {}
                  }
                },
                {
                  "id": "aws-cn",
                  "outputs": { "dnsSuffix": "amazonaws.com.cn", "dualStackDnsSuffix": "api.amazonwebservices.com.cn", "implicitGlobalRegion": "cn-northwest-1", "name": "aws-cn", "supportsDualStack": true, "supportsFIPS": true },
                  "regionRegex": "^cn\\-\\w+\\-\\d+$",
                  "regions": { "aws-cn-global": {}, "cn-north-1": {}, "cn-northwest-1": {} }
                },
                {
                  "id": "aws-eusc",
                  "outputs": { "dnsSuffix": "amazonaws.eu", "dualStackDnsSuffix": "api.amazonwebservices.eu", "implicitGlobalRegion": "eusc-de-east-1", "name": "aws-eusc", "supportsDualStack": false, "supportsFIPS": true },
                  "regionRegex": "^eusc\\-(de)\\-\\w+\\-\\d+$",
                  "regions": { "eusc-de-east-1": {} }
                },
                {
                  "id": "aws-iso",
                  "outputs": { "dnsSuffix": "c2s.ic.gov", "dualStackDnsSuffix": "api.aws.ic.gov", "implicitGlobalRegion": "us-iso-east-1", "name": "aws-iso", "supportsDualStack": false, "supportsFIPS": true },
                  "regionRegex": "^us\\-iso\\-\\w+\\-\\d+$",
                  "regions": { "aws-iso-global": {}, "us-iso-east-1": {}, "us-iso-west-1": {} }
                },
                {
                  "id": "aws-iso-b",
                  "outputs": { "dnsSuffix": "sc2s.sgov.gov", "dualStackDnsSuffix": "api.aws.scloud", "implicitGlobalRegion": "us-isob-east-1", "name": "aws-iso-b", "supportsDualStack": false, "supportsFIPS": true },
                  "regionRegex": "^us\\-isob\\-\\w+\\-\\d+$",
                  "regions": { "aws-iso-b-global": {}, "us-isob-east-1": {} }
                },
                {
                  "id": "aws-iso-e",
                  "outputs": { "dnsSuffix": "cloud.adc-e.uk", "dualStackDnsSuffix": "api.cloud-aws.adc-e.uk", "implicitGlobalRegion": "eu-isoe-west-1", "name": "aws-iso-e", "supportsDualStack": false, "supportsFIPS": true },
                  "regionRegex": "^eu\\-isoe\\-\\w+\\-\\d+$",
                  "regions": { "aws-iso-e-global": {}, "eu-isoe-west-1": {} }
                },
                {
                  "id": "aws-iso-f",
                  "outputs": { "dnsSuffix": "csp.hci.ic.gov", "dualStackDnsSuffix": "api.aws.hci.ic.gov", "implicitGlobalRegion": "us-isof-south-1", "name": "aws-iso-f", "supportsDualStack": false, "supportsFIPS": true },
                  "regionRegex": "^us\\-isof\\-\\w+\\-\\d+$",
                  "regions": { "aws-iso-f-global": {}, "us-isof-east-1": {}, "us-isof-south-1": {} }
                },
                {
                  "id": "aws-us-gov",
                  "outputs": { "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws", "implicitGlobalRegion": "us-gov-west-1", "name": "aws-us-gov", "supportsDualStack": true, "supportsFIPS": true },
                  "regionRegex": "^us\\-gov\\-\\w+\\-\\d+$",
                  "regions": { "aws-us-gov-global": {}, "us-gov-east-1": {}, "us-gov-west-1": {} }
                }
              ]
            }
            """;
    }
}
