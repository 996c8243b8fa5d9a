using System.Management.Automation;
using System.Text.RegularExpressions;
using CognitoDevice.Operations;
using CognitoDevice.Validation;

namespace CognitoDevice.Commands
{
    /// <summary>
    /// Lists a user's remembered devices (ListDevices / AdminListDevices, every page), or gets the devices named by
    /// -DeviceKey (GetDevice / AdminGetDevice).
    /// </summary>
    [Cmdlet(
        VerbsCommon.Get, "CognitoDevice",
        DefaultParameterSetName = AccessTokenSet)]
    [OutputType(typeof(Device))]
    public sealed class GetCognitoDeviceCommand : CognitoDeviceCmdletBase
    {
        /// <summary>The devices to get; without it, every device of the user is listed.</summary>
        [Parameter(
            Position = 0,
            ValueFromPipeline = true,
            ValueFromPipelineByPropertyName = true)]
        [ValidateLength(CognitoPatterns.DeviceKeyMinLength, CognitoPatterns.DeviceKeyMaxLength)]
        [ValidatePattern(CognitoPatterns.DeviceKey, Options = RegexOptions.None)]
        public string[]? DeviceKey { get; set; }

        /// <summary>Devices per ListDevices page (1..60); 60, the most Cognito allows, when omitted.</summary>
        [Parameter]
        [ValidateRange(1, CognitoPatterns.LimitMax)]
        public int? PageSize { get; set; }

        protected override void ProcessRecord()
        {
            if (DeviceKey is null)
            {
                ListAll();
                return;
            }
            foreach (string key in DeviceKey)
            {
                var target = Target(key);
                if (TryCall(key, (session, verbose, cancel) => session.GetDeviceAsync(target, verbose, cancel), out Device? device)) WriteObject(device);
            }
        }

        private void ListAll()
        {
            string? pool = IsAdmin ? UserPoolId : null;
            string? user = IsAdmin ? Username : null;
            object target = IsAdmin ? $"{pool}/{user}" : "devices of the access token's user";
            int count = 0;
            var pages = DevicePager.Enumerate(
                token => TryCall(target, (session, verbose, cancel) => session.ListDevicesPageAsync(Region, pool, user, PageSize, token, verbose, cancel), out DevicePage? page)
                    ? page!
                    : DevicePage.Stop,
                onPage: n => ReportProgress("Listing Cognito devices", $"page {n}, {count} devices"));
            foreach (Device device in pages)
            {
                count++;
                WriteObject(device);
            }
            ReportProgress("Listing Cognito devices", $"{count} devices", completed: true);
        }
    }
}
