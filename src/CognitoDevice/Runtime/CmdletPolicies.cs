using System;
using System.Linq;

namespace CognitoDevice.Runtime
{
    /// <summary>The decisions the cmdlet glue makes, as plain functions.</summary>
    internal static class CmdletPolicies
    {
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
    }
}
