using System.Management.Automation;
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
    public sealed class SetCognitoDeviceCommand : DeviceChangeCmdletBase
    {
        private const string Activity = "Setting the remembered status of Cognito devices";

        /// <summary>remembered or not_remembered (the API's DeviceRememberedStatusType).</summary>
        [Parameter(
            Mandatory = true)]
        [ValidateSet(CognitoPatterns.Remembered, CognitoPatterns.NotRemembered)]
        public string RememberedStatus { get; set; } = CognitoPatterns.Remembered;

        protected override void ProcessRecord()
        {
            string status = InputRules.NormalizeRememberedStatus(RememberedStatus);
            ChangeEach($"Set remembered status to '{status}'", Activity,
                (session, target, verbose, cancel) => session.UpdateDeviceStatusAsync(target, status, verbose, cancel));
        }

        protected override void EndProcessing() => FinishChanges<DeviceRememberedStatusChange>(Activity);
    }
}
