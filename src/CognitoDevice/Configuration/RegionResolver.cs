using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;
using CognitoDevice.Protocol;

namespace CognitoDevice.Configuration
{
    /// <summary>Where the region of a call came from; -Verbose says it.</summary>
    internal enum RegionSource
    {
        RegionParameter,
        PipedObject,
        AccessTokenIssuer,
        UserPoolId,
        DeviceKey,
        AwsRegionVariable,
        AwsDefaultRegionVariable,
        Profile,
    }

    /// <summary>Where a -Region value was bound from: typed on the command line, or a piped object's Region property.</summary>
    internal enum RegionOrigin
    {
        Parameter,
        PipedObject,
    }

    /// <summary>A resolved region and its source.</summary>
    internal sealed class RegionResolution
    {
        public RegionResolution(string region, RegionSource source)
        {
            Region = region;
            Source = source;
        }

        public string Region { get; }

        public RegionSource Source { get; }

        /// <summary>Where it came from, in the user's words: "-Region", "AWS_REGION", "the access token's issuer".</summary>
        public string SourceName => NameOf(Source);

        /// <summary>For -Verbose: "us-east-1 (from the access token's issuer)".</summary>
        public string Description => $"{Region} (from {SourceName})";

        public static string NameOf(RegionSource source)
        {
            switch (source)
            {
                case RegionSource.RegionParameter: return "-Region";
                case RegionSource.PipedObject: return "the piped object's Region property";
                case RegionSource.AccessTokenIssuer: return "the access token's issuer";
                case RegionSource.UserPoolId: return "the user pool ID";
                case RegionSource.DeviceKey: return "the device key";
                case RegionSource.AwsRegionVariable: return "AWS_REGION";
                case RegionSource.AwsDefaultRegionVariable: return "AWS_DEFAULT_REGION";
                default: return "the AWS profile's region setting";
            }
        }
    }

    /// <summary>
    /// The region of a call: -Region; the access token's <c>iss</c> claim; the UserPoolId or DeviceKey prefix;
    /// AWS_REGION, AWS_DEFAULT_REGION; the profile's <c>region</c>. Never instance metadata.
    /// </summary>
    internal static class RegionResolver
    {
        // Region-shaped prefixes: us-east-1, us-gov-west-1, cn-north-1, eusc-de-east-1, ap-southeast-7.
        private static readonly Regex RegionShape = new Regex(@"\A[a-z]{2,5}(?:-[a-z]+)+-[0-9]{1,2}\z", RegexOptions.None);
        private static readonly Regex IssuerHost = new Regex(@"\A(?:issuer-)?cognito-idp\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\z", RegexOptions.None);

        public static RegionResolution? Resolve(string? regionParameter, string? accessToken, string? userPoolId, string? deviceKey,
            Func<string, string?> env, Func<string?> profileRegion, RegionOrigin regionOrigin = RegionOrigin.Parameter)
        {
            if (!string.IsNullOrEmpty(regionParameter))
            {
                return new RegionResolution(regionParameter!, regionOrigin == RegionOrigin.PipedObject ? RegionSource.PipedObject : RegionSource.RegionParameter);
            }

            string? fromToken = accessToken is null ? null : RegionFromAccessToken(accessToken);
            if (fromToken is not null) return new RegionResolution(fromToken, RegionSource.AccessTokenIssuer);

            string? fromPool = userPoolId is null ? null : RegionFromPrefix(userPoolId);
            if (fromPool is not null) return new RegionResolution(fromPool, RegionSource.UserPoolId);

            string? fromKey = deviceKey is null ? null : RegionFromPrefix(deviceKey);
            if (fromKey is not null) return new RegionResolution(fromKey, RegionSource.DeviceKey);

            string? awsRegion = env("AWS_REGION");
            if (!string.IsNullOrWhiteSpace(awsRegion)) return new RegionResolution(awsRegion!.Trim(), RegionSource.AwsRegionVariable);

            string? awsDefaultRegion = env("AWS_DEFAULT_REGION");
            if (!string.IsNullOrWhiteSpace(awsDefaultRegion)) return new RegionResolution(awsDefaultRegion!.Trim(), RegionSource.AwsDefaultRegionVariable);

            string? fromProfile = profileRegion();
            if (!string.IsNullOrWhiteSpace(fromProfile)) return new RegionResolution(fromProfile!.Trim(), RegionSource.Profile);

            return null;
        }

        /// <summary>
        /// Why an access token names no region, in words that never quote it: not a JWT at all, or a JWT whose issuer
        /// is not a Cognito user pool. Null when it names one.
        /// </summary>
        public static string? DescribeTokenWithoutRegion(string accessToken)
        {
            if (RegionFromAccessToken(accessToken) is not null) return null;
            string[] parts = accessToken.Split('.');
            byte[]? payload = parts.Length == 3 ? Base64UrlDecode(parts[1]) : null;
            bool readable = false;
            if (payload is not null)
            {
                try
                {
                    readable = Json.Parse(new UTF8Encoding(false, true).GetString(payload), maxDepth: 8) is Dictionary<string, object?>;
                }
                catch (JsonFormatException)
                {
                }
                catch (ArgumentException)
                {
                }
            }
            return readable
                ? "The access token is a JWT, but its issuer (iss) is not a Cognito user pool, so it names no region"
                : "The access token could not be read as a Cognito JWT (three base64url parts, the second a JSON claims set), so it names no region";
        }

        /// <summary>The region before the first '_' of a user pool ID or device key, when it has a region's shape.</summary>
        public static string? RegionFromPrefix(string id)
        {
            int underscore = id.IndexOf('_');
            if (underscore <= 0) return null;
            string prefix = id.Substring(0, underscore);
            return RegionShape.IsMatch(prefix) ? prefix : null;
        }

        /// <summary>
        /// The region named by the token's <c>iss</c> claim (<c>https://cognito-idp.REGION.amazonaws.com/POOL</c> or
        /// <c>https://issuer-cognito-idp.REGION.amazonaws.com/POOL</c>). The token is only decoded, never verified, and never quoted.
        /// </summary>
        public static string? RegionFromAccessToken(string accessToken)
        {
            string[] parts = accessToken.Split('.');
            if (parts.Length != 3) return null;
            byte[]? payload = Base64UrlDecode(parts[1]);
            if (payload is null) return null;
            try
            {
                string json = new UTF8Encoding(false, true).GetString(payload);
                if (Json.Parse(json, maxDepth: 8) is Dictionary<string, object?> claims
                    && claims.TryGetValue("iss", out object? iss) && iss is string issuer
                    && Uri.TryCreate(issuer, UriKind.Absolute, out Uri? uri)
                    && uri.Scheme == "https")
                {
                    Match match = IssuerHost.Match(uri.Host);
                    if (match.Success && RegionShape.IsMatch(match.Groups[1].Value)) return match.Groups[1].Value;
                }
            }
            catch (JsonFormatException)
            {
            }
            catch (ArgumentException)
            {
            }
            return null;
        }

        internal static byte[]? Base64UrlDecode(string segment)
        {
            if (segment.Length == 0 || segment.Length > 16384) return null;
            var builder = new StringBuilder(segment.Length + 3);
            foreach (char c in segment)
            {
                if (c == '-') builder.Append('+');
                else if (c == '_') builder.Append('/');
                else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/') builder.Append(c);
                else if (c == '=') continue;
                else return null;
            }
            switch (builder.Length % 4)
            {
                case 2: builder.Append("=="); break;
                case 3: builder.Append('='); break;
                case 1: return null;
            }
            try
            {
                return Convert.FromBase64String(builder.ToString());
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
