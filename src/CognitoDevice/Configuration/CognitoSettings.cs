using System;
using System.Globalization;
using System.Net;
using CognitoDevice.Errors;

namespace CognitoDevice.Configuration
{
    /// <summary>
    /// What one cmdlet invocation needs before any call: the parameters plus environment and profile settings.
    /// Loading reads no network and no credentials, so -WhatIf works offline. Everything that cannot work is a
    /// <see cref="CognitoDeviceConfigurationException"/>.
    /// </summary>
    internal sealed class CognitoSettings
    {
        public const int MaxAttemptsLimit = 20;

        private readonly Func<string, string?> _env;
        private readonly Lazy<AwsSharedConfig> _sharedConfig;

        private CognitoSettings(string? endpointOverride, string? endpointSource, string? profileName,
            Func<string, string?> env, string? homeDirectory)
        {
            EndpointOverride = endpointOverride;
            EndpointSource = endpointSource;
            ProfileName = profileName;
            _env = env;
            _sharedConfig = new Lazy<AwsSharedConfig>(() => AwsSharedConfig.Load(env, homeDirectory, profileName));
        }

        /// <summary>The custom endpoint, validated, or null for the rule set's.</summary>
        public string? EndpointOverride { get; }

        /// <summary>Where the override came from (-EndpointUrl, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, AWS_ENDPOINT_URL).</summary>
        public string? EndpointSource { get; }

        public string? ProfileName { get; }

        public bool UseFips { get; private set; }

        public bool UseDualStack { get; private set; }

        public int MaxAttempts { get; private set; } = Protocol.RetryStrategy.DefaultMaxAttempts;

        /// <summary>AWS_RETRY_MODE / retry_mode = adaptive: pace requests after throttling.</summary>
        public bool Adaptive { get; private set; }

        public static CognitoSettings Load(string? endpointUrlParameter, string? profileName, Func<string, string?> env, string? homeDirectory)
        {
            if (env is null) throw new ArgumentNullException(nameof(env));

            string? endpoint = null;
            string? source = null;
            if (!string.IsNullOrEmpty(endpointUrlParameter))
            {
                endpoint = endpointUrlParameter;
                source = "-EndpointUrl";
            }
            else if (AwsBool.Parse(env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) != true)
            {
                foreach (string name in new[] { "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "AWS_ENDPOINT_URL" })
                {
                    string? value = env(name);
                    if (!string.IsNullOrWhiteSpace(value))
                    {
                        endpoint = value!.Trim();
                        source = name;
                        break;
                    }
                }
            }

            var settings = new CognitoSettings(endpoint, source, profileName, env, homeDirectory);
            if (endpoint is not null)
            {
                // Validate the form now (terminating before any record), whatever the region will be.
                settings.ResolveEndpoint("us-east-1", carriesAccessToken: false);
            }
            settings.UseFips = settings.Flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
            settings.UseDualStack = settings.Flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
            settings.MaxAttempts = settings.ReadMaxAttempts();
            settings.Adaptive = string.Equals(settings.Setting("AWS_RETRY_MODE", "retry_mode"), "adaptive", StringComparison.OrdinalIgnoreCase);
            return settings;
        }

        /// <summary>The region for one record; a <see cref="CognitoDeviceConfigurationException"/> when there is none.</summary>
        public RegionResolution ResolveRegion(string? regionParameter, string? accessToken, string? userPoolId, string? deviceKey,
            RegionOrigin regionOrigin = RegionOrigin.Parameter)
        {
            RegionResolution? resolution = RegionResolver.Resolve(regionParameter, accessToken, userPoolId, deviceKey, _env,
                () => _sharedConfig.Value.GetConfigValue("region"), regionOrigin);
            if (resolution is null)
            {
                string? tokenProblem = accessToken is null ? null : RegionResolver.DescribeTokenWithoutRegion(accessToken);
                string message = tokenProblem is null
                    ? "No AWS region was found: not in -Region, the access token, the user pool ID or device key, AWS_REGION, AWS_DEFAULT_REGION or the AWS profile. Pass -Region (for example -Region us-east-1)."
                    : tokenProblem + " (the value is not shown), and no region was found in -Region, the device key, AWS_REGION, AWS_DEFAULT_REGION or the AWS profile. "
                      + "-Region helps only if this is a real Cognito access token: check that you passed the access token (not the ID or refresh token, and not another provider's token).";
                throw new CognitoDeviceConfigurationException(ErrorCatalog.ClientCodes.RegionNotFound, message, null);
            }
            if (!CognitoEndpointResolver.IsValidRegion(resolution.Region))
            {
                throw new CognitoDeviceConfigurationException(ErrorCatalog.ClientCodes.RegionInvalid,
                    $"'{Validation.InputRules.Printable(resolution.Region)}' (from {resolution.SourceName}) is not a region name. Pass -Region with a region such as 'us-east-1'.", null);
            }
            return resolution;
        }

        /// <summary>
        /// The endpoint for <paramref name="region"/>. A call that carries an access token is refused over
        /// plain http unless the host is a loopback address.
        /// </summary>
        public Uri ResolveEndpoint(string region, bool carriesAccessToken)
        {
            Uri endpoint;
            try
            {
                endpoint = CognitoEndpointResolver.Resolve(region, UseFips, UseDualStack, EndpointOverride);
            }
            catch (EndpointResolutionException ex)
            {
                string prefix = EndpointSource is null ? string.Empty : $"The endpoint from {EndpointSource} is not usable: ";
                throw new CognitoDeviceConfigurationException(ex.ErrorId, prefix + ex.Message, null);
            }
            if (carriesAccessToken && endpoint.Scheme == Uri.UriSchemeHttp && !IsLoopback(endpoint))
            {
                throw new CognitoDeviceConfigurationException(ErrorCatalog.ClientCodes.InsecureEndpoint,
                    $"The access token would be sent over plain http to {endpoint.Authority} (from {EndpointSource ?? "the endpoint rules"}). Use https; plain http is allowed only to a loopback address.", null);
            }
            return endpoint;
        }

        internal static bool IsLoopback(Uri uri)
        {
            if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
            string host = uri.Host.Trim('[', ']');
            return IPAddress.TryParse(host, out IPAddress? address) && IPAddress.IsLoopback(address);
        }

        private string? Setting(string variable, string profileKey)
        {
            string? value = _env(variable);
            if (!string.IsNullOrWhiteSpace(value)) return value!.Trim();
            return _sharedConfig.Value.GetConfigValue(profileKey)?.Trim();
        }

        private bool Flag(string variable, string profileKey) => AwsBool.Parse(Setting(variable, profileKey)) == true;

        private int ReadMaxAttempts()
        {
            string? value = Setting("AWS_MAX_ATTEMPTS", "max_attempts");
            if (value is null) return Protocol.RetryStrategy.DefaultMaxAttempts;
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int attempts) && attempts >= 1 && attempts <= MaxAttemptsLimit)
            {
                return attempts;
            }
            throw new CognitoDeviceConfigurationException(ErrorCatalog.ClientCodes.MaxAttemptsInvalid,
                $"AWS_MAX_ATTEMPTS (or max_attempts in the profile) is '{Validation.InputRules.Printable(value)}'; it must be a whole number from 1 to {MaxAttemptsLimit.ToString(CultureInfo.InvariantCulture)}.", null);
        }
    }
}
