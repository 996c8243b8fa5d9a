using System;
using System.Management.Automation;
using System.Security;
using System.Text.RegularExpressions;
using CognitoDevice.Errors;
using CognitoDevice.Operations;
using CognitoDevice.Validation;

namespace CognitoDevice.Commands
{
    /// <summary>
    /// Lists a user's remembered devices (ListDevices / AdminListDevices, every page), or gets the devices named by
    /// -DeviceKey (GetDevice / AdminGetDevice). Listing and getting are separate parameter sets, so -PageSize with
    /// -DeviceKey is a binding error rather than a silently ignored value. With -UserPoolId alone it sweeps the pool:
    /// every device of every user (ListUsers, then AdminListDevices per user, several at once, paced to Cognito's quotas).
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
        private const string PoolSet = "AdminPool";

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
        [Parameter(
            Mandatory = true,
            ParameterSetName = PoolSet)]
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
        [Parameter(
            ParameterSetName = PoolSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string? ProfileName { get; set; }

        /// <summary>Only the users that match this ListUsers filter, passed to Cognito as is, e.g. status = "Enabled".</summary>
        [Parameter(
            ParameterSetName = PoolSet)]
        [ValidateLength(1, CognitoPatterns.UserFilterMaxLength)]
        public string? UserFilter { get; set; }

        /// <summary>Continue a sweep that stopped: the token its warning or verbose output printed.</summary>
        [Parameter(
            ParameterSetName = PoolSet)]
        [ValidateNotNullOrEmpty]
        public string? ResumeToken { get; set; }

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
            if (ParameterSetName == PoolSet)
            {
                SweepPool();
                return;
            }
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

        private void SweepPool()
        {
            string pool = UserPoolId!;
            DeviceSession session = SessionFor(pool);
            PoolSweep sweep;
            try
            {
                sweep = PoolSweeps.Create(session, Region, pool, UserFilter, ResumeToken, Cancellation);
            }
            catch (CognitoDeviceException ex)
            {
                ThrowTerminatingError(ToErrorRecord(ex, ResumeToken ?? pool));
                throw; // not reached
            }
            using (sweep)
            {
                Sweep(sweep, session, pool);
            }
        }

        private void Sweep(PoolSweep sweep, DeviceSession session, string pool)
        {
            int? estimated = ShowsProgress ? PoolSweeps.EstimateUsers(session, Region, pool, Cancellation, WriteVerbose) : null;
            int lastReported = 0;
            try
            {
                foreach (SweepItem item in sweep.Run(WriteVerbose))
                {
                    if (item.Error is not null) WriteError(ToErrorRecord(item.Error, $"{pool}/{item.Username}"));
                    else WriteResult(item.Device!);
                    if (sweep.UsersScanned - lastReported >= PoolSweeps.VerboseEveryUsers && sweep.ResumeToken is string position)
                    {
                        lastReported = sweep.UsersScanned;
                        WriteVerbose(PoolSweeps.PositionLine(sweep, position));
                    }
                    if (ShowsProgress) ReportProgress(PoolSweeps.Activity, PoolSweeps.Status(sweep, estimated), PoolSweeps.Percent(sweep, estimated), "-ResumeToken " + sweep.ResumeToken);
                }
            }
            catch (CognitoDeviceException ex)
            {
                // ListUsers failed after its retries: the sweep cannot go on; say where to resume.
                if (sweep.ResumeToken is string position) WriteWarning(PoolSweeps.StoppedLine(sweep, position));
                ThrowTerminatingError(ToErrorRecord(ex, pool));
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            ReportProgress(PoolSweeps.Activity, PoolSweeps.Status(sweep, estimated), 100, null, completed: true);
            WriteVerbose(PoolSweeps.Summary(sweep));
        }
    }
}
