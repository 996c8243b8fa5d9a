using System.Management.Automation;
using System.Security;
using System.Text.RegularExpressions;
using CognitoDevice.Operations;
using CognitoDevice.Validation;

namespace CognitoDevice.Commands
{
    /// <summary>
    /// Lists a user's remembered devices (ListDevices / AdminListDevices, every page), or gets the devices named by
    /// -DeviceKey (GetDevice / AdminGetDevice). Listing and getting are separate parameter sets, so -PageSize with
    /// -DeviceKey is a binding error rather than a silently ignored value.
    /// </summary>
    [Cmdlet(
        VerbsCommon.Get, "CognitoDevice",
        DefaultParameterSetName = AccessTokenSet)]
    [OutputType(typeof(Device))]
    public sealed class GetCognitoDeviceCommand : CognitoDeviceCmdletBase
    {
        private const string AccessTokenDeviceKeySet = "AccessTokenDeviceKey";
        private const string AdminDeviceKeySet = "AdminDeviceKey";
        private const string ListActivity = "Listing Cognito devices";

        /// <summary>The devices to get; without it, every device of the user is listed.</summary>
        [Parameter(
            Mandatory = true,
            Position = 0,
            ParameterSetName = AccessTokenDeviceKeySet,
            ValueFromPipeline = true,
            ValueFromPipelineByPropertyName = true)]
        [Parameter(
            Mandatory = true,
            Position = 0,
            ParameterSetName = AdminDeviceKeySet,
            ValueFromPipeline = true,
            ValueFromPipelineByPropertyName = true)]
        [ValidateLength(CognitoPatterns.DeviceKeyMinLength, CognitoPatterns.DeviceKeyMaxLength)]
        [ValidatePattern(CognitoPatterns.DeviceKey, Options = RegexOptions.None)]
        public string[]? DeviceKey { get; set; }

        /// <summary>The user's access token (a string or a SecureString). Never shown in any message; masked when prompted for.</summary>
        [Parameter(
            Mandatory = true,
            ParameterSetName = AccessTokenSet)]
        [Parameter(
            Mandatory = true,
            ParameterSetName = AccessTokenDeviceKeySet)]
        [AccessTokenTransformation]
        [ValidateAccessToken]
        public SecureString? AccessToken { get; set; }

        [Parameter(
            Mandatory = true,
            ParameterSetName = AdminSet,
            ValueFromPipelineByPropertyName = true)]
        [Parameter(
            Mandatory = true,
            ParameterSetName = AdminDeviceKeySet,
            ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [ValidateUserPoolId]
        public string? UserPoolId { get; set; }

        [Parameter(
            Mandatory = true,
            ParameterSetName = AdminSet,
            ValueFromPipelineByPropertyName = true)]
        [Parameter(
            Mandatory = true,
            ParameterSetName = AdminDeviceKeySet,
            ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [ValidateUsername]
        public string? Username { get; set; }

        /// <summary>The AWS profile whose credentials sign the Admin calls.</summary>
        [Parameter(
            ParameterSetName = AdminSet)]
        [Parameter(
            ParameterSetName = AdminDeviceKeySet)]
        [ValidateNotNullOrEmpty]
        public string? ProfileName { get; set; }

        /// <summary>Devices per ListDevices page (1..60); 60, the most Cognito allows, when omitted.</summary>
        [Parameter(
            ParameterSetName = AccessTokenSet)]
        [Parameter(
            ParameterSetName = AdminSet)]
        [ValidateRange(1, CognitoPatterns.LimitMax)]
        public int? PageSize { get; set; }

        private protected override SecureString? AccessTokenValue => AccessToken;

        private protected override string? UserPoolIdValue => UserPoolId;

        private protected override string? UsernameValue => Username;

        private protected override string? ProfileNameValue => ProfileName;

        protected override void ProcessRecord()
        {
            if (DeviceKey is null)
            {
                ListAll();
                return;
            }
            foreach (string key in DeviceKey)
            {
                DeviceTarget target = Target(key);
                if (TryCall(key, (session, verbose, cancel) => session.GetDeviceAsync(target, verbose, cancel), out Device? device)) WriteObject(device);
            }
        }

        private void ListAll()
        {
            if (IsAdmin) RequireAdminIdentity(null);
            string? pool = IsAdmin ? UserPoolId : null;
            string? user = IsAdmin ? Username : null;
            object target = IsAdmin ? $"{pool}/{user}" : "devices of the access token's user";
            int count = 0;
            var pages = DevicePager.Enumerate(
                token => TryCall(target, (session, verbose, cancel) => session.ListDevicesPageAsync(Region, pool, user, PageSize, token, verbose, cancel, RegionOrigin), out DevicePage? page)
                    ? page!
                    : DevicePage.Stop,
                onPage: n => ReportProgress(ListActivity, $"page {n}, {count} devices"));
            foreach (Device device in pages)
            {
                count++;
                WriteObject(device);
            }
            ReportProgress(ListActivity, $"{count} devices", completed: true);
        }
    }
}
