using System;
using System.Management.Automation;
using System.Security;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Operations;
using CognitoDevice.Runtime;
using CognitoDevice.Validation;

namespace CognitoDevice.Commands
{
    /// <summary>
    /// What the cmdlets that change devices share: the two parameter sets (AccessToken: the signed-in user's own
    /// devices; Admin: any user's, signed with AWS credentials), mandatory keys, -Force, -PassThru and the per-key loop.
    /// </summary>
    public abstract class DeviceChangeCmdletBase : CognitoDeviceCmdletBase
    {
        /// <summary>How many calls of consecutive records may be in flight at once (see <see cref="OrderedWindow{TKey, TResult}"/>).</summary>
        internal const int CallsInFlight = 8;

        private int _changed;
        private object? _window;

        /// <summary>The keys of the devices; strings or objects with a DeviceKey property (Get-CognitoDevice).</summary>
        [Parameter(
            Mandatory = true,
            Position = 0,
            ValueFromPipeline = true,
            ValueFromPipelineByPropertyName = true)]
        [ValidateLength(CognitoPatterns.DeviceKeyMinLength, CognitoPatterns.DeviceKeyMaxLength)]
        [ValidatePattern(CognitoPatterns.DeviceKey, Options = RegexOptions.None)]
        public string[] DeviceKey { get; set; } = Array.Empty<string>();

        /// <summary>The user's access token (a string or a SecureString). Never shown in any message; masked when prompted for.</summary>
        [Parameter(
            Mandatory = true,
            ParameterSetName = AccessTokenSet)]
        [AccessTokenTransformation]
        [ValidateAccessToken]
        public SecureString? AccessToken { get; set; }

        [Parameter(
            Mandatory = true,
            ParameterSetName = AdminSet,
            ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [ValidateUserPoolId]
        public string? UserPoolId { get; set; }

        [Parameter(
            Mandatory = true,
            ParameterSetName = AdminSet,
            ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [ValidateUsername]
        public string? Username { get; set; }

        /// <summary>The AWS profile whose credentials sign the Admin calls.</summary>
        [Parameter(
            ParameterSetName = AdminSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string? ProfileName { get; set; }

        /// <summary>Skip the confirmation prompt (not when -Confirm is passed, and never under -WhatIf).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write a result object for each device changed.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private protected override SecureString? AccessTokenValue => AccessToken;

        private protected override string? UserPoolIdValue => UserPoolId;

        private protected override string? UsernameValue => Username;

        private protected override string? ProfileNameValue => ProfileName;

        /// <summary>
        /// For each key: ShouldProcess (with -Force), then the call, overlapping with the calls of the next records
        /// (at most <see cref="CallsInFlight"/>); results and errors are written in input order on the pipeline thread.
        /// </summary>
        internal void ChangeEach<T>(string action, string progressActivity, Func<DeviceSession, DeviceTarget, Action<string>, CancellationToken, Task<T>> change)
            where T : class
        {
            var window = (OrderedWindow<string, T>)(_window ??= new OrderedWindow<string, T>(CmdletPolicies.CallsInFlight(CallsInFlight, ErrorActionName())));
            foreach (string key in DeviceKey)
            {
                DeviceTarget target = Target(key);
                if (!ShouldProcessTarget(target.Description, action, Force)) continue;
                DeviceSession session = SessionFor(key);
                CancellationToken cancel = Cancellation;
                window.Start(key, verbose => change(session, target, verbose, cancel));
                WriteOutcomes(window, window.Limit - 1, progressActivity);
            }
        }

        /// <summary>The effective -ErrorAction: bound, else $ErrorActionPreference.</summary>
        private string? ErrorActionName() =>
            (MyInvocation.BoundParameters.TryGetValue("ErrorAction", out object? bound) ? bound : GetVariableValue("ErrorActionPreference"))?.ToString();

        /// <summary>Waits for the calls still in flight and writes their outcomes (EndProcessing).</summary>
        internal void FinishChanges<T>(string progressActivity)
            where T : class
        {
            if (_window is OrderedWindow<string, T> window) WriteOutcomes(window, 0, progressActivity);
            ReportProgress(progressActivity, $"{_changed} done", completed: true);
        }

        private void WriteOutcomes<T>(OrderedWindow<string, T> window, int keepAtMost, string progressActivity)
            where T : class
        {
            foreach ((string key, Task<T> task) in window.Completed(keepAtMost, WriteVerbose))
            {
                if (!TryResult(key, task, out T? result)) continue;
                _changed++;
                ReportProgress(progressActivity, $"{_changed} done");
                if (PassThru) WriteResult(result!);
            }
        }
    }
}
