using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Configuration;
using CognitoDevice.Protocol;
using CognitoDevice.Validation;

namespace CognitoDevice.Operations
{
    /// <summary>
    /// The device operations for one cmdlet invocation: resolves region and endpoint per record, builds the
    /// request, calls <see cref="CognitoClient"/>, and reads the answer. No PowerShell types, so xunit calls it.
    /// The access token, when there is one, is held here and never put on an output object or in a message.
    /// </summary>
    internal sealed partial class DeviceSession
    {
        private readonly CognitoClient _client;
        private readonly Func<IRequestSigner> _signerFactory;
        private readonly string? _accessToken;
        private readonly HashSet<string> _announced = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<string, (RegionResolution Resolution, Uri Endpoint)> _resolved = new Dictionary<string, (RegionResolution, Uri)>(StringComparer.Ordinal);
        private readonly string[] _secrets;
        private readonly object _gate = new object();
        private IRequestSigner? _signer;

        public DeviceSession(CognitoSettings settings, CognitoClient client, string? accessToken, Func<IRequestSigner> signerFactory)
        {
            Settings = settings ?? throw new ArgumentNullException(nameof(settings));
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _accessToken = accessToken;
            _secrets = accessToken is null ? Array.Empty<string>() : new[] { accessToken };
            _signerFactory = signerFactory ?? throw new ArgumentNullException(nameof(signerFactory));
        }

        public CognitoSettings Settings { get; }

        public async Task<ForgottenDevice> ForgetDeviceAsync(DeviceTarget target, Action<string>? verbose, CancellationToken cancellationToken)
        {
            CognitoCall call = Prepare(target.IsAdmin ? "AdminForgetDevice" : "ForgetDevice", target.Region, target.RegionOrigin, target.UserPoolId, target.Username, target.DeviceKey,
                Body(target), verbose, out string region);
            try
            {
                await _client.SendAsync(call, cancellationToken).ConfigureAwait(false);
            }
            catch (ResourceNotFoundException) when (call.EarlierAttemptMayHaveSucceeded)
            {
                // An earlier attempt timed out or lost its connection after it may have reached Cognito, and now the
                // device is gone: that attempt forgot it. Reporting "not found" would misreport a success.
                verbose?.Invoke($"{call.Operation}: device '{target.DeviceKey}' was already gone on retry; an earlier attempt that lost its answer forgot it.");
            }
            return new ForgottenDevice(target.DeviceKey, region, target.UserPoolId, target.Username);
        }

        public async Task<Device> GetDeviceAsync(DeviceTarget target, Action<string>? verbose, CancellationToken cancellationToken)
        {
            CognitoCall call = Prepare(target.IsAdmin ? "AdminGetDevice" : "GetDevice", target.Region, target.RegionOrigin, target.UserPoolId, target.Username, target.DeviceKey,
                Body(target), verbose, out string region);
            Dictionary<string, object?> answer = await _client.SendAsync(call, cancellationToken).ConfigureAwait(false);
            if (!answer.TryGetValue("Device", out object? device)) throw DeviceParser.Unreadable("the answer has no Device");
            return DeviceParser.Parse(device, region, target.UserPoolId, target.Username);
        }

        public async Task<DeviceRememberedStatusChange> UpdateDeviceStatusAsync(DeviceTarget target, string rememberedStatus, Action<string>? verbose,
            CancellationToken cancellationToken)
        {
            string body = Body(target).Add("DeviceRememberedStatus", rememberedStatus).ToString();
            CognitoCall call = Prepare(target.IsAdmin ? "AdminUpdateDeviceStatus" : "UpdateDeviceStatus", target.Region, target.RegionOrigin, target.UserPoolId, target.Username,
                target.DeviceKey, body, verbose, out string region);
            await _client.SendAsync(call, cancellationToken).ConfigureAwait(false);
            return new DeviceRememberedStatusChange(target.DeviceKey, rememberedStatus, region, target.UserPoolId, target.Username);
        }

        /// <summary>One page of the user's devices: ListDevices with the token, AdminListDevices with pool and user.</summary>
        public async Task<DevicePage> ListDevicesPageAsync(string? regionParameter, string? userPoolId, string? username, int? limit, string? paginationToken,
            Action<string>? verbose, CancellationToken cancellationToken, RegionOrigin regionOrigin = RegionOrigin.Parameter)
        {
            bool admin = userPoolId is not null;
            var body = new JsonBody();
            if (admin) body.Add("UserPoolId", userPoolId).Add("Username", username);
            else body.Add("AccessToken", _accessToken);
            // The largest page Cognito allows unless the caller asked for less: fewer requests against the quota.
            body.Add("Limit", limit ?? CognitoPatterns.LimitMax).Add("PaginationToken", paginationToken);
            CognitoCall call = Prepare(admin ? "AdminListDevices" : "ListDevices", regionParameter, regionOrigin, userPoolId, username, null, body.ToString(), verbose, out string region);
            Dictionary<string, object?> answer = await _client.SendAsync(call, cancellationToken).ConfigureAwait(false);

            var devices = new List<Device>();
            if (answer.TryGetValue("Devices", out object? list) && list is not null)
            {
                if (list is not List<object?> items) throw DeviceParser.Unreadable("Devices is not a list");
                foreach (object? item in items) devices.Add(DeviceParser.Parse(item, region, userPoolId, username));
            }
            string? next = answer.TryGetValue("PaginationToken", out object? token) ? token as string : null;
            return new DevicePage(devices, next);
        }

        private JsonBody Body(DeviceTarget target)
        {
            var body = new JsonBody();
            if (target.IsAdmin) body.Add("UserPoolId", target.UserPoolId).Add("Username", target.Username);
            else body.Add("AccessToken", _accessToken);
            return body.Add("DeviceKey", target.DeviceKey);
        }

        private CognitoCall Prepare(string operation, string? regionParameter, RegionOrigin regionOrigin, string? userPoolId, string? username, string? deviceKey,
            JsonBody body, Action<string>? verbose, out string region) =>
            Prepare(operation, regionParameter, regionOrigin, userPoolId, username, deviceKey, body.ToString(), verbose, out region);

        private CognitoCall Prepare(string operation, string? regionParameter, RegionOrigin regionOrigin, string? userPoolId, string? username, string? deviceKey,
            string body, Action<string>? verbose, out string region)
        {
            // Sweeps call from several tasks at once: the caches and the signer are shared.
            lock (_gate)
            {
                bool admin = userPoolId is not null;
                // Region and endpoint depend only on -Region, the pool (or the token) and the key's prefix, none of which
                // changes within a session for most records: resolve once per distinct combination.
                int underscore = deviceKey?.IndexOf('_') ?? -1;
                string cacheKey = (regionParameter ?? string.Empty) + "\n" + (int)regionOrigin + "\n" + (admin ? userPoolId : string.Empty) + "\n"
                    + (underscore > 0 ? deviceKey!.Substring(0, underscore) : string.Empty);
                if (!_resolved.TryGetValue(cacheKey, out (RegionResolution Resolution, Uri Endpoint) resolved))
                {
                    RegionResolution resolution = Settings.ResolveRegion(regionParameter, admin ? null : _accessToken, userPoolId, deviceKey, regionOrigin);
                    resolved = (resolution, Settings.ResolveEndpoint(resolution.Region, carriesAccessToken: !admin));
                    _resolved[cacheKey] = resolved;
                }
                region = resolved.Resolution.Region;
                Uri endpoint = resolved.Endpoint;
                if (_announced.Add(resolved.Resolution.Description + endpoint))
                {
                    verbose?.Invoke($"Region {resolved.Resolution.Description}; endpoint {endpoint}{(Settings.EndpointSource is null ? string.Empty : " (from " + Settings.EndpointSource + ")")}.");
                }

                IReadOnlyCollection<string> secrets = _secrets;
                var call = new CognitoCall(operation, endpoint, region, body, secrets)
                {
                    Verbose = verbose,
                    QuotaUser = admin && username is not null ? userPoolId + "\n" + username : null,
                };
                if (admin)
                {
                    _signer ??= _signerFactory();
                    call.Signer = _signer;
                }
                return call;
            }
        }
    }
}
