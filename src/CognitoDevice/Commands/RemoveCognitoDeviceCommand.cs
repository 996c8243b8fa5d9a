using System.Management.Automation;

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
    public sealed class RemoveCognitoDeviceCommand : DeviceChangeCmdletBase
    {
        private const string Activity = "Forgetting Cognito devices";

        protected override void ProcessRecord() =>
            ChangeEach("Forget device", Activity, (session, target, verbose, cancel) => session.ForgetDeviceAsync(target, verbose, cancel));

        protected override void EndProcessing() => FinishChanges<ForgottenDevice>(Activity);
    }
}
