using System.Management.Automation;
using System.Text.RegularExpressions;
using CognitoDevice.Validation;

namespace CognitoDevice.Commands
{
    /// <summary>
    /// Forgets remembered devices: ForgetDevice with -AccessToken, AdminForgetDevice with -UserPoolId and -Username.
    /// </summary>
    [Cmdlet(
        VerbsCommon.Remove, "CognitoDevice",
        DefaultParameterSetName = AccessTokenSet,
        SupportsShouldProcess = true,
        ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ForgottenDevice))]
    public sealed class RemoveCognitoDeviceCommand : CognitoDeviceCmdletBase
    {
        private int _forgotten;

        /// <summary>The keys of the devices to forget; strings or objects with a DeviceKey property (Get-CognitoDevice).</summary>
        [Parameter(
            Mandatory = true,
            Position = 0,
            ValueFromPipeline = true,
            ValueFromPipelineByPropertyName = true)]
        [ValidateLength(CognitoPatterns.DeviceKeyMinLength, CognitoPatterns.DeviceKeyMaxLength)]
        [ValidatePattern(CognitoPatterns.DeviceKey, Options = RegexOptions.None)]
        public string[] DeviceKey { get; set; } = System.Array.Empty<string>();

        /// <summary>Skip the confirmation prompt (not when -Confirm is passed, and never under -WhatIf).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write a <see cref="ForgottenDevice"/> for each device forgotten.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string key in DeviceKey)
            {
                var target = Target(key);
                if (!ShouldProcessTarget(target.Description, "Forget device", Force)) continue;
                if (TryCall(key, (session, verbose, cancel) => session.ForgetDeviceAsync(target, verbose, cancel), out ForgottenDevice? forgotten))
                {
                    _forgotten++;
                    ReportProgress("Forgetting Cognito devices", $"{_forgotten} forgotten");
                    if (PassThru) WriteObject(forgotten);
                }
            }
        }

        protected override void EndProcessing() => ReportProgress("Forgetting Cognito devices", $"{_forgotten} forgotten", completed: true);
    }
}
