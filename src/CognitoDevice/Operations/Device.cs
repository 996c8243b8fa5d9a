using System;
using System.Collections.Generic;

namespace CognitoDevice
{
    /// <summary>
    /// A device that a Cognito user pool remembers (Cognito's DeviceType), with where it came from, so it can be
    /// piped to Remove-CognitoDevice or Set-CognitoDevice without repeating ids. It never holds an access token.
    /// </summary>
    public sealed class Device
    {
        public Device(string deviceKey, IReadOnlyDictionary<string, string?> attributes, DateTime? createDate, DateTime? lastModifiedDate,
            DateTime? lastAuthenticatedDate, string region, string? userPoolId, string? username)
        {
            DeviceKey = deviceKey;
            Attributes = attributes;
            CreateDate = createDate;
            LastModifiedDate = lastModifiedDate;
            LastAuthenticatedDate = lastAuthenticatedDate;
            Region = region;
            UserPoolId = userPoolId;
            Username = username;
        }

        public string DeviceKey { get; }

        /// <summary>The <c>device_name</c> attribute.</summary>
        public string? DeviceName => Attribute("device_name");

        /// <summary>The <c>device_status</c> attribute (e.g. valid).</summary>
        public string? Status => Attribute("device_status");

        /// <summary>The <c>dev:device_remembered_status</c> attribute: remembered or not_remembered.</summary>
        public string? RememberedStatus => Attribute("dev:device_remembered_status");

        /// <summary>The <c>last_ip_used</c> attribute.</summary>
        public string? LastIpUsed => Attribute("last_ip_used");

        /// <summary>DeviceCreateDate, UTC.</summary>
        public DateTime? CreateDate { get; }

        /// <summary>DeviceLastModifiedDate, UTC.</summary>
        public DateTime? LastModifiedDate { get; }

        /// <summary>DeviceLastAuthenticatedDate, UTC.</summary>
        public DateTime? LastAuthenticatedDate { get; }

        /// <summary>Every device attribute as Cognito returned it.</summary>
        public IReadOnlyDictionary<string, string?> Attributes { get; }

        /// <summary>The region the device was read from.</summary>
        public string Region { get; }

        /// <summary>The user pool, for devices read with -UserPoolId/-Username (null for the access-token set).</summary>
        public string? UserPoolId { get; }

        /// <summary>The user, for devices read with -UserPoolId/-Username (null for the access-token set).</summary>
        public string? Username { get; }

        private string? Attribute(string name) => Attributes.TryGetValue(name, out string? value) ? value : null;

        public override string ToString() => DeviceKey;
    }

    /// <summary>What Remove-CognitoDevice -PassThru writes for each device it forgot.</summary>
    public sealed class ForgottenDevice
    {
        public ForgottenDevice(string deviceKey, string region, string? userPoolId, string? username)
        {
            DeviceKey = deviceKey;
            Region = region;
            UserPoolId = userPoolId;
            Username = username;
        }

        public string DeviceKey { get; }

        public string Region { get; }

        public string? UserPoolId { get; }

        public string? Username { get; }

        public override string ToString() => DeviceKey;
    }

    /// <summary>What Set-CognitoDevice -PassThru writes for each device whose remembered status it set.</summary>
    public sealed class DeviceRememberedStatusChange
    {
        public DeviceRememberedStatusChange(string deviceKey, string rememberedStatus, string region, string? userPoolId, string? username)
        {
            DeviceKey = deviceKey;
            RememberedStatus = rememberedStatus;
            Region = region;
            UserPoolId = userPoolId;
            Username = username;
        }

        public string DeviceKey { get; }

        public string RememberedStatus { get; }

        public string Region { get; }

        public string? UserPoolId { get; }

        public string? Username { get; }

        public override string ToString() => DeviceKey;
    }
}
