using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace CognitoDevice.Configuration
{
    /// <summary>
    /// Resolves the Amazon Cognito Identity Provider (cognito-idp) endpoint for a Region, the FIPS and
    /// dual-stack switches and an optional custom endpoint URL.
    /// </summary>
    /// <remarks>
    /// This is a hand-written translation of the service's Smithy endpoint rule set
    /// (tests/ServiceModel/endpoint-rule-set-1.json, which is the source of truth). The rules are
    /// applied in the rule set's order: a custom endpoint first (FIPS and dual-stack are errors with
    /// it), then the Region, through <see cref="AwsPartition.PartitionFor(string)"/>. Unlike the rule
    /// set, the Region must be a DNS host label (<see cref="IsValidRegion(string)"/>) before it is put
    /// into a host name, and a custom endpoint must be an absolute http or https URL with a host and
    /// no user information, query or fragment. Every error message starts with the rule set's own
    /// error text, where the rule set has one, and then says what to do.
    /// </remarks>
    internal static class CognitoEndpointResolver
    {
        /// <summary>The rule set's error when FIPS is on together with a custom endpoint.</summary>
        internal const string FipsWithCustomEndpointError = "Invalid Configuration: FIPS and custom endpoint are not supported";

        /// <summary>The rule set's error when dual-stack is on together with a custom endpoint.</summary>
        internal const string DualStackWithCustomEndpointError = "Invalid Configuration: Dualstack and custom endpoint are not supported";

        /// <summary>The rule set's error when FIPS and dual-stack are both on and the partition lacks one or both.</summary>
        internal const string FipsAndDualStackUnsupportedError = "FIPS and DualStack are enabled, but this partition does not support one or both";

        /// <summary>The rule set's error when FIPS is on and the partition has no FIPS endpoints.</summary>
        internal const string FipsUnsupportedError = "FIPS is enabled but this partition does not support FIPS";

        /// <summary>The rule set's error when dual-stack is on and the partition has no dual-stack endpoints.</summary>
        internal const string DualStackUnsupportedError = "DualStack is enabled but this partition does not support DualStack";

        /// <summary>The rule set's error when neither a custom endpoint nor a Region is given.</summary>
        internal const string MissingRegionError = "Invalid Configuration: Missing Region";

        private const string ServiceHostPrefix = "cognito-idp";

        private const string FipsAdvice =
            "turn FIPS off (the AWS_USE_FIPS_ENDPOINT environment variable or use_fips_endpoint in the AWS config file)";

        private const string DualStackAdvice =
            "turn dual-stack off (the AWS_USE_DUALSTACK_ENDPOINT environment variable or use_dualstack_endpoint in the AWS config file)";

        private const string EndpointUrlAdvice =
            "remove the custom endpoint URL (the AWS_ENDPOINT_URL environment variable or endpoint_url in the AWS config file)";

        /// <summary>
        /// Returns the endpoint for the parameters.
        /// </summary>
        /// <param name="region">The AWS Region, such as <c>us-east-1</c>; null or empty when none is set.</param>
        /// <param name="useFips">Whether to use the FIPS endpoint.</param>
        /// <param name="useDualStack">Whether to use the dual-stack (IPv4 and IPv6) endpoint.</param>
        /// <param name="endpointOverride">A custom endpoint URL; null or empty when none is set. When set, the Region is not used.</param>
        /// <returns>The endpoint URI.</returns>
        /// <exception cref="EndpointResolutionException">
        /// The parameters name no endpoint; <see cref="EndpointResolutionException.ErrorId"/> says why and the message says what to do.
        /// </exception>
        public static Uri Resolve(string? region, bool useFips, bool useDualStack, string? endpointOverride)
        {
            if (!string.IsNullOrEmpty(endpointOverride))
            {
                return ResolveOverride(endpointOverride!, useFips, useDualStack);
            }

            if (string.IsNullOrWhiteSpace(region))
            {
                throw new EndpointResolutionException(
                    EndpointResolutionException.RegionMissing,
                    MissingRegionError + ". No AWS Region is set: pass -Region (for example -Region us-east-1), "
                    + "or set the AWS_REGION environment variable, or set region in your AWS config file profile.");
            }

            string name = region!;
            if (!IsValidRegion(name))
            {
                throw new EndpointResolutionException(
                    EndpointResolutionException.RegionInvalid,
                    "'" + ForDisplay(name) + "' is not a valid AWS Region name: a Region name is a DNS label of lowercase "
                    + "letters, digits and hyphens (at most 63 characters, no hyphen at either end), such as us-east-1. "
                    + "Pass a Region such as -Region us-east-1.");
            }

            AwsPartition partition = AwsPartition.PartitionFor(name);

            if (useFips && useDualStack)
            {
                if (partition.SupportsFips && partition.SupportsDualStack)
                {
                    switch (name)
                    {
                        case "us-east-1":
                        case "us-east-2":
                        case "us-west-1":
                        case "us-west-2":
                            return Build(ServiceHostPrefix + "-fips", name, "amazonaws.com");
                        default:
                            return Build(ServiceHostPrefix + "-fips", name, partition.DualStackDnsSuffix);
                    }
                }

                string advice;
                if (!partition.SupportsFips && !partition.SupportsDualStack)
                {
                    advice = "has neither FIPS nor dual-stack endpoints: " + FipsAdvice + " and " + DualStackAdvice;
                }
                else if (!partition.SupportsFips)
                {
                    advice = "has no FIPS endpoints: " + FipsAdvice;
                }
                else
                {
                    advice = "has FIPS endpoints but no dual-stack endpoints: " + DualStackAdvice;
                }

                throw PartitionError(FipsAndDualStackUnsupportedError, name, partition, advice);
            }

            if (useFips)
            {
                if (partition.SupportsFips)
                {
                    return Build(ServiceHostPrefix + "-fips", name, partition.DnsSuffix);
                }

                throw PartitionError(FipsUnsupportedError, name, partition, "has no FIPS endpoints: " + FipsAdvice);
            }

            if (useDualStack)
            {
                if (partition.SupportsDualStack)
                {
                    return partition.Name == "aws"
                        ? Build(ServiceHostPrefix, name, "amazonaws.com")
                        : Build(ServiceHostPrefix, name, partition.DualStackDnsSuffix);
                }

                throw PartitionError(DualStackUnsupportedError, name, partition, "has no dual-stack endpoints: " + DualStackAdvice);
            }

            return Build(ServiceHostPrefix, name, partition.DnsSuffix);
        }

        /// <summary>
        /// Whether <paramref name="region"/> can be a Region name: a DNS host label of lowercase ASCII
        /// letters, digits and hyphens, 1 to 63 characters, not starting or ending with a hyphen
        /// (<c>^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$</c>). It says nothing about whether AWS has that Region.
        /// </summary>
        /// <param name="region">The candidate Region name.</param>
        /// <returns>True when the name is a valid host label.</returns>
        public static bool IsValidRegion(string region)
        {
            if (region == null || region.Length == 0 || region.Length > 63)
            {
                return false;
            }

            for (int i = 0; i < region.Length; i++)
            {
                char c = region[i];
                bool letterOrDigit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
                if (letterOrDigit)
                {
                    continue;
                }

                if (c == '-' && i != 0 && i != region.Length - 1)
                {
                    continue;
                }

                return false;
            }

            return true;
        }

        private static Uri ResolveOverride(string endpointOverride, bool useFips, bool useDualStack)
        {
            // The rule set checks the switches before it looks at the URL.
            if (useFips)
            {
                throw new EndpointResolutionException(
                    EndpointResolutionException.EndpointConfigurationInvalid,
                    FipsWithCustomEndpointError + ": the custom endpoint '" + RedactForDisplay(endpointOverride)
                    + "' is used exactly as given, so it cannot also select a FIPS endpoint. Either " + FipsAdvice
                    + ", or " + EndpointUrlAdvice + ".");
            }

            if (useDualStack)
            {
                throw new EndpointResolutionException(
                    EndpointResolutionException.EndpointConfigurationInvalid,
                    DualStackWithCustomEndpointError + ": the custom endpoint '" + RedactForDisplay(endpointOverride)
                    + "' is used exactly as given, so it cannot also select a dual-stack endpoint. Either " + DualStackAdvice
                    + ", or " + EndpointUrlAdvice + ".");
            }

            string? problem = FindEndpointUrlProblem(endpointOverride, out Uri? uri);
            if (problem != null || uri == null)
            {
                throw new EndpointResolutionException(
                    EndpointResolutionException.EndpointUrlInvalid,
                    "The custom endpoint URL '" + RedactForDisplay(endpointOverride) + "' is not valid: "
                    + (problem ?? "it is not an absolute URL")
                    + ". Give an absolute http:// or https:// URL with a host and no user information, query or fragment, "
                    + "such as https://cognito-idp.us-east-1.amazonaws.com, or " + EndpointUrlAdvice + ".");
            }

            return uri;
        }

        private static string? FindEndpointUrlProblem(string value, out Uri? uri)
        {
            uri = null;
            if (value.Trim().Length == 0)
            {
                return "it is blank";
            }

            if (value.Trim().Length != value.Length)
            {
                return "it starts or ends with white space";
            }

            if (HasUserInfo(value))
            {
                return "it contains user information (user:password@), which is not allowed";
            }

            if (value.IndexOf("://", StringComparison.Ordinal) < 0)
            {
                return "it does not start with http:// or https://";
            }

            if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? parsed) || parsed == null)
            {
                return "it is not an absolute URL";
            }

            if (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp)
            {
                return "its scheme is '" + ForDisplay(parsed.Scheme) + "', but only http and https are supported";
            }

            if (parsed.IsFile || parsed.IsUnc || string.IsNullOrEmpty(parsed.Host))
            {
                return "it has no host";
            }

            if (parsed.UserInfo.Length > 0)
            {
                return "it contains user information (user:password@), which is not allowed";
            }

            if (parsed.Query.Length > 0 || value.IndexOf('?') >= 0)
            {
                return "it has a query string ('?...'), which is not allowed";
            }

            if (parsed.Fragment.Length > 0 || value.IndexOf('#') >= 0)
            {
                return "it has a fragment ('#...'), which is not allowed";
            }

            uri = parsed;
            return null;
        }

        private static bool HasUserInfo(string value)
        {
            int start = AuthorityStart(value);
            int end = value.IndexOfAny(new[] { '/', '?', '#' }, start);
            if (end < 0)
            {
                end = value.Length;
            }

            return value.IndexOf('@', start, end - start) >= 0;
        }

        // Where the authority starts: after "scheme://", or at 0 when there is no "://".
        private static int AuthorityStart(string value)
        {
            int schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
            return schemeEnd >= 0 ? schemeEnd + 3 : 0;
        }

        /// <summary>
        /// The URL for an error message, with any user information removed: everything from the start of the
        /// authority up to the last '@' before any query or fragment. This errs on the side of removing too
        /// much (an '@' in a path also cuts), since a password must never be echoed.
        /// </summary>
        internal static string RedactForDisplay(string value)
        {
            int start = AuthorityStart(value);
            int end = value.IndexOfAny(new[] { '?', '#' }, start);
            if (end < 0)
            {
                end = value.Length;
            }

            if (end > start)
            {
                int at = value.LastIndexOf('@', end - 1, end - start);
                if (at >= start)
                {
                    value = value.Substring(0, start) + value.Substring(at + 1);
                }
            }

            return ForDisplay(value);
        }

        // Control characters replaced, long values cut, so a message stays one readable line.
        private static string ForDisplay(string value)
        {
            const int MaxLength = 200;
            var builder = new StringBuilder(Math.Min(value.Length, MaxLength) + 3);
            for (int i = 0; i < value.Length && i < MaxLength; i++)
            {
                char c = value[i];
                builder.Append(char.IsControl(c) ? '?' : c);
            }

            if (value.Length > MaxLength)
            {
                builder.Append("...");
            }

            return builder.ToString();
        }

        private static EndpointResolutionException PartitionError(string ruleSetError, string region, AwsPartition partition, string advice)
        {
            return new EndpointResolutionException(
                EndpointResolutionException.EndpointConfigurationInvalid,
                ruleSetError + ": Region '" + region + "' is in the " + partition.Name + " partition, which " + advice + ".");
        }

        private static Uri Build(string hostPrefix, string region, string dnsSuffix)
        {
            return new Uri("https://" + hostPrefix + "." + region + "." + dnsSuffix, UriKind.Absolute);
        }
    }

    /// <summary>
    /// Thrown by <see cref="CognitoEndpointResolver.Resolve(string, bool, bool, string)"/> when the parameters
    /// name no endpoint. The message says what to do; <see cref="ErrorId"/> classifies the problem.
    /// </summary>
    internal sealed class EndpointResolutionException : Exception
    {
        /// <summary>FIPS or dual-stack with a custom endpoint, or a partition without FIPS or dual-stack endpoints.</summary>
        public const string EndpointConfigurationInvalid = "EndpointConfigurationInvalid";

        /// <summary>Neither a Region nor a custom endpoint was given.</summary>
        public const string RegionMissing = "RegionMissing";

        /// <summary>The Region is not a DNS host label.</summary>
        public const string RegionInvalid = "RegionInvalid";

        /// <summary>The custom endpoint is not an absolute http or https URL with a host and no user information, query or fragment.</summary>
        public const string EndpointUrlInvalid = "EndpointUrlInvalid";

        /// <summary>Creates the exception with the <see cref="EndpointConfigurationInvalid"/> error id.</summary>
        /// <param name="message">What went wrong and what to do.</param>
        public EndpointResolutionException(string message)
            : this(EndpointConfigurationInvalid, message)
        {
        }

        /// <summary>Creates the exception.</summary>
        /// <param name="errorId">One of the error id constants of this class.</param>
        /// <param name="message">What went wrong and what to do.</param>
        public EndpointResolutionException(string errorId, string message)
            : base(message)
        {
            ErrorId = errorId ?? throw new ArgumentNullException(nameof(errorId));
        }

        /// <summary>
        /// The kind of problem: <see cref="EndpointConfigurationInvalid"/>, <see cref="RegionMissing"/>,
        /// <see cref="RegionInvalid"/> or <see cref="EndpointUrlInvalid"/>.
        /// </summary>
        public string ErrorId { get; }
    }

    /// <summary>
    /// An AWS partition as the rules engine's <c>aws.partition</c> function returns it, with the partition
    /// table that botocore ships (botocore/data/partitions.json).
    /// </summary>
    internal sealed class AwsPartition
    {
        private static readonly AwsPartition[] Partitions =
        {
            // The order is botocore's. The region regexes do not overlap (the aws regex needs exactly three
            // dash-separated parts, so it cannot match us-gov-west-1 or us-isob-east-1), so the order only
            // decides which partition is the default: the first one, aws.
            new AwsPartition(
                "aws", "amazonaws.com", "api.aws", true, true,
                @"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$", "us-east-1",
                new[]
                {
                    "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
                    "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
                    "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "aws-global", "ca-central-1", "ca-west-1",
                    "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
                    "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
                    "us-east-1", "us-east-2", "us-west-1", "us-west-2",
                }),
            new AwsPartition(
                "aws-cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn", true, true,
                @"^cn\-\w+\-\d+$", "cn-northwest-1",
                new[] { "aws-cn-global", "cn-north-1", "cn-northwest-1" }),
            new AwsPartition(
                "aws-eusc", "amazonaws.eu", "api.amazonwebservices.eu", true, false,
                @"^eusc\-(de)\-\w+\-\d+$", "eusc-de-east-1",
                new[] { "eusc-de-east-1" }),
            new AwsPartition(
                "aws-iso", "c2s.ic.gov", "api.aws.ic.gov", true, false,
                @"^us\-iso\-\w+\-\d+$", "us-iso-east-1",
                new[] { "aws-iso-global", "us-iso-east-1", "us-iso-west-1" }),
            new AwsPartition(
                "aws-iso-b", "sc2s.sgov.gov", "api.aws.scloud", true, false,
                @"^us\-isob\-\w+\-\d+$", "us-isob-east-1",
                new[] { "aws-iso-b-global", "us-isob-east-1" }),
            new AwsPartition(
                "aws-iso-e", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk", true, false,
                @"^eu\-isoe\-\w+\-\d+$", "eu-isoe-west-1",
                new[] { "aws-iso-e-global", "eu-isoe-west-1" }),
            new AwsPartition(
                "aws-iso-f", "csp.hci.ic.gov", "api.aws.hci.ic.gov", true, false,
                @"^us\-isof\-\w+\-\d+$", "us-isof-south-1",
                new[] { "aws-iso-f-global", "us-isof-east-1", "us-isof-south-1" }),
            new AwsPartition(
                "aws-us-gov", "amazonaws.com", "api.aws", true, true,
                @"^us\-gov\-\w+\-\d+$", "us-gov-west-1",
                new[] { "aws-us-gov-global", "us-gov-east-1", "us-gov-west-1" }),
        };

        private static readonly Dictionary<string, AwsPartition> ByListedRegion = IndexListedRegions();

        private readonly Regex _regionRegex;

        private AwsPartition(
            string name,
            string dnsSuffix,
            string dualStackDnsSuffix,
            bool supportsFips,
            bool supportsDualStack,
            string regionRegex,
            string implicitGlobalRegion,
            string[] regions)
        {
            Name = name;
            DnsSuffix = dnsSuffix;
            DualStackDnsSuffix = dualStackDnsSuffix;
            SupportsFips = supportsFips;
            SupportsDualStack = supportsDualStack;
            RegionRegex = regionRegex;
            ImplicitGlobalRegion = implicitGlobalRegion;
            Regions = Array.AsReadOnly(regions);

            // ECMAScript: \w and \d are ASCII only, as in the JavaScript and Java engines.
            _regionRegex = new Regex(regionRegex, RegexOptions.ECMAScript);
        }

        /// <summary>The partition id, such as <c>aws</c>, <c>aws-cn</c> or <c>aws-us-gov</c>.</summary>
        public string Name { get; }

        /// <summary>The DNS suffix of the partition's regular endpoints, such as <c>amazonaws.com</c>.</summary>
        public string DnsSuffix { get; }

        /// <summary>The DNS suffix of the partition's dual-stack endpoints, such as <c>api.aws</c>.</summary>
        public string DualStackDnsSuffix { get; }

        /// <summary>Whether the partition has FIPS endpoints.</summary>
        public bool SupportsFips { get; }

        /// <summary>Whether the partition has dual-stack endpoints.</summary>
        public bool SupportsDualStack { get; }

        /// <summary>The regular expression that the names of the partition's Regions match.</summary>
        public string RegionRegex { get; }

        /// <summary>The Region that stands for the partition's global endpoints.</summary>
        public string ImplicitGlobalRegion { get; }

        /// <summary>The Regions (and global pseudo-Regions such as <c>aws-global</c>) that the table lists by name.</summary>
        public IReadOnlyList<string> Regions { get; }

        /// <summary>Every partition, in botocore's order; the first is <c>aws</c>, the default.</summary>
        public static IReadOnlyList<AwsPartition> All { get; } = Array.AsReadOnly(Partitions);

        /// <summary>
        /// The <c>aws.partition</c> function: the partition that lists <paramref name="region"/> by name,
        /// else the first whose <see cref="RegionRegex"/> matches the whole name, else <c>aws</c>.
        /// </summary>
        /// <param name="region">A Region name.</param>
        /// <returns>The partition.</returns>
        public static AwsPartition PartitionFor(string region)
        {
            if (region == null)
            {
                throw new ArgumentNullException(nameof(region));
            }

            if (ByListedRegion.TryGetValue(region, out AwsPartition? listed))
            {
                return listed;
            }

            foreach (AwsPartition partition in Partitions)
            {
                if (partition.MatchesRegionRegex(region))
                {
                    return partition;
                }
            }

            return Partitions[0];
        }

        /// <summary>Whether the whole of <paramref name="region"/> matches <see cref="RegionRegex"/>.</summary>
        /// <param name="region">A Region name.</param>
        /// <returns>True on a match.</returns>
        public bool MatchesRegionRegex(string region)
        {
            // '$' also matches before a final newline; the length check makes the match cover the whole name.
            Match match = _regionRegex.Match(region);
            return match.Success && match.Index == 0 && match.Length == region.Length;
        }

        private static Dictionary<string, AwsPartition> IndexListedRegions()
        {
            var index = new Dictionary<string, AwsPartition>(StringComparer.Ordinal);
            foreach (AwsPartition partition in Partitions)
            {
                foreach (string region in partition.Regions)
                {
                    index.Add(region, partition);
                }
            }

            return index;
        }
    }
}
