using System;
using System.Globalization;
using System.Threading;
using CognitoDevice.Runtime;

namespace CognitoDevice.Operations
{
    /// <summary>What Get-CognitoDevice -UserPoolId (no -Username) needs besides the sweep itself: its creation and its words.</summary>
    internal static class PoolSweeps
    {
        public const string Activity = "Sweeping Cognito devices";

        /// <summary>How often (in users) the verbose stream gets the position to resume from.</summary>
        public const int VerboseEveryUsers = 600;

        /// <summary>A sweep over the session; a resume token for another pool or filter is ResumeTokenInvalid (thrown here).</summary>
        public static PoolSweep Create(DeviceSession session, string? region, string userPoolId, string? filter, string? resumeToken, CancellationToken cancellationToken) =>
            new PoolSweep(userPoolId, filter, resumeToken,
                (token, verbose, ct) => session.ListUsersPageAsync(region, userPoolId, filter, token, verbose, ct),
                (username, verbose, ct) => session.ListUserDevicesAsync(region, userPoolId, username, verbose, ct),
                cancellationToken);

        /// <summary>
        /// DescribeUserPool's EstimatedNumberOfUsers for the progress bar, or null when the caller may not read it (a
        /// missing cognito-idp:DescribeUserPool permission is no reason to fail a sweep: a verbose line says so).
        /// </summary>
        public static int? EstimateUsers(DeviceSession session, string? region, string userPoolId, CancellationToken cancellationToken, Action<string> verbose)
        {
            try
            {
                return PipelinePump.Run(sink => session.EstimatedNumberOfUsersAsync(region, userPoolId, sink, cancellationToken), verbose);
            }
            catch (CognitoDeviceException ex) when (!(ex is CognitoDeviceConfigurationException))
            {
                verbose($"DescribeUserPool failed ({ex.ErrorCode}): progress shows no total.");
                return null;
            }
        }

        public static string Status(PoolSweep sweep, int? estimatedUsers) =>
            string.Format(CultureInfo.InvariantCulture, "{0} users scanned{1}, {2} devices found, {3:0.0} users/s{4}",
                sweep.UsersScanned, estimatedUsers is int n ? " of about " + n.ToString(CultureInfo.InvariantCulture) : string.Empty,
                sweep.DevicesFound, sweep.UsersPerSecond,
                sweep.UsersFailed > 0 ? ", " + sweep.UsersFailed.ToString(CultureInfo.InvariantCulture) + " users failed" : string.Empty);

        /// <summary>Percent of the estimate (capped at 99 until done: the estimate is an estimate), or -1 without one.</summary>
        public static int Percent(PoolSweep sweep, int? estimatedUsers) =>
            estimatedUsers is int n && n > 0 ? Math.Min(99, (int)(100L * sweep.UsersScanned / n)) : -1;

        public static string PositionLine(PoolSweep sweep, string resumeToken) =>
            string.Format(CultureInfo.InvariantCulture, "Swept {0} users, {1} devices; to continue from here: -ResumeToken {2}",
                sweep.UsersScanned, sweep.DevicesFound, resumeToken);

        public static string StoppedLine(PoolSweep sweep, string resumeToken) =>
            string.Format(CultureInfo.InvariantCulture, "The sweep stopped after {0} users and {1} devices. To continue where it stopped, run the same command with -ResumeToken {2}",
                sweep.UsersScanned, sweep.DevicesFound, resumeToken);

        public static string Summary(PoolSweep sweep) =>
            string.Format(CultureInfo.InvariantCulture, "Sweep complete: {0} users, {1} devices, {2} users failed, {3:0.0} s ({4:0.0} users/s).",
                sweep.UsersScanned, sweep.DevicesFound, sweep.UsersFailed, sweep.Elapsed.TotalSeconds, sweep.UsersPerSecond);
    }
}
