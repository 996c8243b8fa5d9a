using CognitoDevice.Configuration;

namespace CognitoDevice.Operations
{
    /// <summary>The device one call acts on: its key and, for the Admin set, the user and pool.</summary>
    internal sealed class DeviceTarget
    {
        public DeviceTarget(string deviceKey, string? userPoolId, string? username, string? region = null, RegionOrigin regionOrigin = RegionOrigin.Parameter)
        {
            Region = region;
            RegionOrigin = regionOrigin;
            DeviceKey = deviceKey;
            UserPoolId = userPoolId;
            Username = username;
        }

        public string DeviceKey { get; }

        public string? UserPoolId { get; }

        public string? Username { get; }

        /// <summary>-Region for this record (bound or from the piped object), or null to resolve it.</summary>
        public string? Region { get; }

        /// <summary>Whether <see cref="Region"/> was typed (-Region) or came from a piped object's Region property.</summary>
        public RegionOrigin RegionOrigin { get; }

        public bool IsAdmin => UserPoolId is not null;

        /// <summary>The ShouldProcess target: names the device, and for Admin the user and pool. Never the token.</summary>
        public string Description => IsAdmin
            ? $"Device '{DeviceKey}' of user '{Username}' in user pool '{UserPoolId}'"
            : $"Device '{DeviceKey}' of the user signed in with the access token";
    }
}
