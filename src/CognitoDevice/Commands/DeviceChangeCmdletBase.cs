using System;
using System.Management.Automation;
using System.Security;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Operations;
using CognitoDevice.Validation;

namespace CognitoDevice.Commands
{
    /// <summary>
    /// What the cmdlets that change devices share: the two parameter sets (AccessToken: the signed-in user's own
    /// devices; Admin: any user's, signed with AWS credentials), mandatory keys, -Force, -PassThru and the per-key loop.
    /// </summary>
    public abstract class DeviceChangeCmdletBase : CognitoDeviceCmdletBase
    {
        private int _changed;

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

        /// <summary>For each key: ShouldProcess (with -Force), the call, and its result or error.</summary>
        internal void ChangeEach<T>(string action, string progressActivity, Func<DeviceSession, DeviceTarget, Action<string>, CancellationToken, Task<T>> change)
            where T : class
        {
            foreach (string key in DeviceKey)
            {
                DeviceTarget target = Target(key);
                if (!ShouldProcessTarget(target.Description, action, Force)) continue;
                if (!TryCall(key, (session, verbose, cancel) => change(session, target, verbose, cancel), out T? result)) continue;
                _changed++;
                ReportProgress(progressActivity, $"{_changed} done");
                if (PassThru) WriteResult(result!);
            }
        }

        internal void EndProgress(string progressActivity) => ReportProgress(progressActivity, $"{_changed} done", completed: true);
    }
}
