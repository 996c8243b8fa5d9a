using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Auth;
using CognitoDevice.Configuration;
using CognitoDevice.Errors;
using CognitoDevice.Operations;
using CognitoDevice.Runtime;
using CognitoDevice.Validation;

namespace CognitoDevice.Commands
{
    /// <summary>
    /// The parameters and glue the device cmdlets share: the two parameter sets, cancellation on Ctrl+C,
    /// the verbose pump, ShouldProcess with -Force, and turning outcomes into WriteError / ThrowTerminatingError.
    /// </summary>
    public abstract class CognitoDeviceCmdletBase : PSCmdlet, IDisposable
    {
        protected const string AccessTokenSet = "AccessToken";
        protected const string AdminSet = "Admin";

        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private DeviceSession? _session;
        private bool _showProgress;
        private readonly Stopwatch _progressClock = new Stopwatch();

        /// <summary>The user's access token (ForgetDevice and the other token operations). Never shown in any message.</summary>
        [Parameter(
            Mandatory = true,
            ParameterSetName = AccessTokenSet)]
        [ValidateAccessToken]
        public string AccessToken { get; set; } = string.Empty;

        [Parameter(
            Mandatory = true,
            ParameterSetName = AdminSet,
            ValueFromPipelineByPropertyName = true)]
        [ValidateLength(CognitoPatterns.UserPoolIdMinLength, CognitoPatterns.UserPoolIdMaxLength)]
        [ValidatePattern(CognitoPatterns.UserPoolId, Options = RegexOptions.None)]
        public string UserPoolId { get; set; } = string.Empty;

        [Parameter(
            Mandatory = true,
            ParameterSetName = AdminSet,
            ValueFromPipelineByPropertyName = true)]
        [ValidateUsername]
        public string Username { get; set; } = string.Empty;

        /// <summary>The AWS region. Otherwise from the token, the pool ID or device key, AWS_REGION, AWS_DEFAULT_REGION or the profile.</summary>
        [Parameter(
            ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string? Region { get; set; }

        /// <summary>A custom endpoint (otherwise AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, AWS_ENDPOINT_URL, then the AWS endpoint rules).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EndpointUrl { get; set; }

        /// <summary>The AWS profile whose credentials sign the Admin calls.</summary>
        [Parameter(
            ParameterSetName = AdminSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string? ProfileName { get; set; }

        internal bool IsAdmin => ParameterSetName == AdminSet;

        protected override void BeginProcessing()
        {
            bool redirected;
            try
            {
                redirected = Console.IsOutputRedirected;
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is InvalidOperationException)
            {
                redirected = true; // a host without a console: nobody is watching
            }
            _showProgress = CmdletPolicies.ShowProgress(Host?.UI?.RawUI is not null, Environment.GetCommandLineArgs(), redirected, Environment.UserInteractive);
            _progressClock.Start();
        }

        protected override void StopProcessing() => _cancel.Cancel();

        public void Dispose()
        {
            _cancel.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>The target of one record, from the bound (or piped) parameters.</summary>
        internal DeviceTarget Target(string deviceKey) =>
            IsAdmin ? new DeviceTarget(deviceKey, UserPoolId, Username, Region) : new DeviceTarget(deviceKey, null, null, Region);

        /// <summary>ShouldProcess, with -Force skipping confirmation only when -Confirm is not bound and WhatIf is off.</summary>
        internal bool ShouldProcessTarget(string target, string action, bool force)
        {
            bool whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? bound)
                ? LanguagePrimitives.IsTrue(bound)
                : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
            if (CmdletPolicies.SkipShouldProcess(force, MyInvocation.BoundParameters.ContainsKey("Confirm"), whatIf)) return true;
            return ShouldProcess(target, action);
        }

        /// <summary>
        /// Runs one call on the pipeline thread (verbose messages pumped to it). A failure for this record is a
        /// non-terminating error naming <paramref name="target"/>; a configuration failure ends the command.
        /// </summary>
        internal bool TryCall<T>(object target, Func<DeviceSession, Action<string>, CancellationToken, Task<T>> work, out T? result)
            where T : class
        {
            try
            {
                DeviceSession session = _session ??= CreateSession();
                result = PipelinePump.Run(sink => work(session, sink, _cancel.Token), WriteVerbose);
                return true;
            }
            catch (CognitoDeviceConfigurationException ex)
            {
                ThrowTerminatingError(ToErrorRecord(ex, target));
            }
            catch (CognitoDeviceException ex)
            {
                WriteError(ToErrorRecord(ex, target));
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            result = null;
            return false;
        }

        /// <summary>Shows progress to a person watching (never in a non-interactive host), at most four times a second.</summary>
        internal void ReportProgress(string activity, string status, bool completed = false)
        {
            if (!_showProgress) return;
            if (!completed && _progressClock.ElapsedMilliseconds < 250) return;
            _progressClock.Restart();
            var record = new ProgressRecord(1, activity, status);
            if (completed) record.RecordType = ProgressRecordType.Completed;
            WriteProgress(record);
        }

        internal static ErrorRecord ToErrorRecord(CognitoDeviceException exception, object target)
        {
            var record = new ErrorRecord(exception, exception.ErrorCode, (ErrorCategory)(int)ErrorCatalog.KindOf(exception.ErrorCode), target);
            record.ErrorDetails = new ErrorDetails(exception.Message)
            {
                RecommendedAction = ErrorCatalog.RecommendedActionFor(exception.ErrorCode),
            };
            return record;
        }

        private DeviceSession CreateSession()
        {
            CognitoSettings settings = CognitoSettings.Load(EndpointUrl, IsAdmin ? ProfileName : null,
                Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
            string? profile = ProfileName;
            return new DeviceSession(settings, ModuleRuntime.CreateClient(settings), IsAdmin ? null : AccessToken,
                () => AdminSigning.CreateSigner(profile));
        }
    }
}
