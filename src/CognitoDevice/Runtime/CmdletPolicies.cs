using System;
using System.Linq;

namespace CognitoDevice.Runtime
{
    /// <summary>The decisions the cmdlet glue makes, as plain functions.</summary>
    internal static class CmdletPolicies
    {
        /// <summary>
        /// How many calls of consecutive piped records may overlap: <paramref name="window"/>, except when the first
        /// failure must stop the command (-ErrorAction Stop, or Inquire, which asks): then one at a time, so nothing
        /// after a failing record is ever sent.
        /// </summary>
        public static int CallsInFlight(int window, string? errorAction) =>
            string.Equals(errorAction, "Stop", StringComparison.OrdinalIgnoreCase) || string.Equals(errorAction, "Inquire", StringComparison.OrdinalIgnoreCase)
                ? 1
                : window;

        /// <summary>
        /// -Force skips the ShouldProcess confirmation only when -Confirm was not passed and WhatIf is off
        /// (bound or inherited $WhatIfPreference). Never "Force || ShouldProcess": -Force must not turn -WhatIf into a removal.
        /// </summary>
        public static bool SkipShouldProcess(bool force, bool confirmBound, bool whatIfActive) => force && !confirmBound && !whatIfActive;

        /// <summary>
        /// Progress is for a person watching: an interactive host (it has a RawUI), not started with -NonInteractive,
        /// output not redirected. Runbooks and CI stay quiet.
        /// </summary>
        public static bool ShowProgress(bool hostHasRawUi, string[] commandLineArgs, bool outputRedirected, bool userInteractive) =>
            hostHasRawUi && userInteractive && !outputRedirected
            && !commandLineArgs.Any(a => a.StartsWith("-NonI", StringComparison.OrdinalIgnoreCase) && "-noninteractive".StartsWith(a, StringComparison.OrdinalIgnoreCase));
    

        /// <summary>
        /// Why an Admin-set record cannot go on: the user pool ID or user name is missing. From a piped object that
        /// means the object came from a listing by access token (device objects never carry the token), so the fix is
        /// -AccessToken; typed on the command line, it is the parameter itself. Null when both are there.
        /// </summary>
        public static string? DescribeMissingAdminIdentity(string cmdletName, string? deviceKey, string? userPoolId, string? username, bool typedOnCommandLine)
        {
            if (!string.IsNullOrEmpty(userPoolId) && !string.IsNullOrEmpty(username)) return null;
            if (typedOnCommandLine)
            {
                string missing = string.IsNullOrEmpty(userPoolId) ? "-UserPoolId" : "-Username";
                return $"{missing} is null or empty. Pass the user pool ID and the user name, or -AccessToken for the signed-in user's own devices.";
            }
            string device = string.IsNullOrEmpty(deviceKey) ? "The piped object" : $"Device '{deviceKey}'";
            return $"{device} has no user pool ID or user name: it came from a listing by access token (Get-CognitoDevice -AccessToken), "
                + $"and device objects never carry the token. Pass -AccessToken to {cmdletName} as well: "
                + $"Get-CognitoDevice -AccessToken $token | {cmdletName} -AccessToken $token.";
        }
    }
}
