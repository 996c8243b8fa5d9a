using System.Management.Automation;
using System.Text.RegularExpressions;
using CognitoDevice.Validation;

namespace CognitoDevice.Commands
{
    /// <summary>
    /// Sets whether devices are remembered: UpdateDeviceStatus with -AccessToken, AdminUpdateDeviceStatus with -UserPoolId and -Username.
    /// </summary>
    [Cmdlet(
        VerbsCommon.Set, "CognitoDevice",
        DefaultParameterSetName = AccessTokenSet,
        SupportsShouldProcess = true,
        ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(DeviceRememberedStatusChange))]
    public sealed class SetCognitoDeviceCommand : CognitoDeviceCmdletBase
    {
        /// <summary>The keys of the devices; strings or objects with a DeviceKey property (Get-CognitoDevice).</summary>
        [Parameter(
            Mandatory = true,
            Position = 0,
            ValueFromPipeline = true,
            ValueFromPipelineByPropertyName = true)]
        [ValidateLength(CognitoPatterns.DeviceKeyMinLength, CognitoPatterns.DeviceKeyMaxLength)]
        [ValidatePattern(CognitoPatterns.DeviceKey, Options = RegexOptions.None)]
        public string[] DeviceKey { get; set; } = System.Array.Empty<string>();

        /// <summary>remembered or not_remembered (the API's DeviceRememberedStatusType).</summary>
        [Parameter(
            Mandatory = true)]
        [ValidateSet(CognitoPatterns.Remembered, CognitoPatterns.NotRemembered)]
        public string RememberedStatus { get; set; } = CognitoPatterns.Remembered;

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            string status = InputRules.NormalizeRememberedStatus(RememberedStatus);
            foreach (string key in DeviceKey)
            {
                var target = Target(key);
                if (!ShouldProcessTarget(target.Description, $"Set remembered status to '{status}'", Force)) continue;
                if (TryCall(key, (session, verbose, cancel) => session.UpdateDeviceStatusAsync(target, status, verbose, cancel), out DeviceRememberedStatusChange? change)
                    && PassThru)
                {
                    WriteObject(change);
                }
            }
        }
    }
}
