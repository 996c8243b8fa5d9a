using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Auth;
using CognitoDevice.Configuration;
using CognitoDevice.Errors;
using CognitoDevice.Operations;
using CognitoDevice.Protocol;
using CognitoDevice.Runtime;
using CognitoDevice.Validation;

namespace CognitoDevice.Commands
{
    /// <summary>
    /// The parameters and glue the device cmdlets share: -Region and -EndpointUrl, cancellation on Ctrl+C, the
    /// verbose pump, ShouldProcess with -Force, and turning outcomes into WriteError / ThrowTerminatingError.
    /// Each cmdlet declares its own parameter sets (the access token, or the user pool and user name).
    /// </summary>
    public abstract class CognitoDeviceCmdletBase : PSCmdlet, IDisposable
    {
        protected const string AccessTokenSet = "AccessToken";
        protected const string AdminSet = "Admin";

        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private DeviceSession? _session;
        private bool _showProgress;
        private bool _regionBound;
        private bool _poolTyped;
        private bool _userTyped;
        private readonly Stopwatch _progressClock = new Stopwatch();

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

        /// <summary>-AccessToken as bound (token sets), else null.</summary>
        private protected abstract SecureString? AccessTokenValue { get; }

        /// <summary>-UserPoolId and -Username as bound, command line or piped object (Admin sets), else null.</summary>
        private protected abstract string? UserPoolIdValue { get; }

        private protected abstract string? UsernameValue { get; }

        /// <summary>-ProfileName (Admin sets), else null.</summary>
        private protected abstract string? ProfileNameValue { get; }

        /// <summary>Whether the bound set signs with AWS credentials (user pool and user name) rather than carrying a token.</summary>
        internal bool IsAdmin => ParameterSetName.StartsWith(AdminSet, StringComparison.Ordinal);

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
            // Bound before the first record means typed on the command line; later bindings come from piped objects.
            _regionBound = MyInvocation.BoundParameters.ContainsKey(nameof(Region));
            _poolTyped = MyInvocation.BoundParameters.ContainsKey("UserPoolId");
            _userTyped = MyInvocation.BoundParameters.ContainsKey("Username");
            _progressClock.Start();
        }

        protected override void StopProcessing() => _cancel.Cancel();

        public void Dispose()
        {
            _cancel.Cancel(); // calls still in flight when the pipeline ends early (an error with -ErrorAction Stop) stop too
            _cancel.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>
        /// The target of one record, from the bound (or piped) parameters. A piped device object that came from a
        /// listing by access token has no user pool or user name: without -AccessToken that ends the command with one
        /// error that says so (the binder chose the Admin set because the object's properties offered it).
        /// </summary>
        internal DeviceTarget Target(string deviceKey)
        {
            if (!IsAdmin) return new DeviceTarget(deviceKey, null, null, Region, RegionOrigin);
            RequireAdminIdentity(deviceKey);
            return new DeviceTarget(deviceKey, UserPoolIdValue, UsernameValue, Region, RegionOrigin);
        }

        /// <summary>Whether this record's -Region was typed or came from the piped object's Region property.</summary>
        internal RegionOrigin RegionOrigin => _regionBound ? RegionOrigin.Parameter : RegionOrigin.PipedObject;

        /// <summary>Ends the command when the Admin set was chosen but the piped object carries no user pool or user name.</summary>
        internal void RequireAdminIdentity(string? deviceKey)
        {
            bool typed = string.IsNullOrEmpty(UserPoolIdValue) ? _poolTyped : _userTyped;
            string? problem = CmdletPolicies.DescribeMissingAdminIdentity(MyInvocation.MyCommand.Name, deviceKey, UserPoolIdValue, UsernameValue, typed);
            if (problem is null) return;
            var record = new ErrorRecord(new PSArgumentException(problem), ErrorCatalog.ClientCodes.AccessTokenRequired, ErrorCategory.InvalidArgument, deviceKey)
            {
                ErrorDetails = new ErrorDetails(problem) { RecommendedAction = ErrorCatalog.RecommendedActionFor(ErrorCatalog.ClientCodes.AccessTokenRequired, null) },
            };
            ThrowTerminatingError(record);
        }

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
            DeviceSession session = SessionFor(target);
            Task<T> outcome;
            try
            {
                outcome = Task.FromResult(PipelinePump.Run(sink => work(session, sink, _cancel.Token), WriteVerbose));
            }
            catch (Exception ex)
            {
                outcome = Task.FromException<T>(ex); // judged below, as for a call that ran in a window
            }
            return TryResult(target, outcome, out result);
        }

        /// <summary>The session of this invocation (made on first use); a configuration failure ends the command.</summary>
        internal DeviceSession SessionFor(object target)
        {
            try
            {
                return _session ??= CreateSession();
            }
            catch (CognitoDeviceConfigurationException ex)
            {
                if (ex.InnerException is CredentialResolutionDetail detail) WriteDetail(detail);
                ThrowTerminatingError(ToErrorRecord(ex, target));
                throw; // not reached
            }
        }

        /// <summary>Cancelled by Ctrl+C (StopProcessing).</summary>
        internal CancellationToken Cancellation => _cancel.Token;

        /// <summary>Whether progress is shown (an interactive host; see <see cref="CmdletPolicies.ShowProgress"/>).</summary>
        internal bool ShowsProgress => _showProgress;

        /// <summary>Progress with a percentage (-1: unknown) and a current operation line, at most four times a second.</summary>
        internal void ReportProgress(string activity, string status, int percentComplete, string? currentOperation, bool completed = false)
        {
            if (!_showProgress) return;
            if (!completed && _progressClock.ElapsedMilliseconds < 250) return;
            _progressClock.Restart();
            var record = new ProgressRecord(1, activity, status) { PercentComplete = percentComplete, CurrentOperation = currentOperation };
            if (completed) record.RecordType = ProgressRecordType.Completed;
            WriteProgress(record);
        }

        /// <summary>
        /// The outcome of a call that ran in an <see cref="OrderedWindow{TKey, TResult}"/>: true with its result, or
        /// false after writing its error (non-terminating; a configuration failure ends the command, Ctrl+C stops it).
        /// </summary>
        internal bool TryResult<T>(object target, Task<T> completed, out T? result)
            where T : class
        {
            try
            {
                result = completed.GetAwaiter().GetResult();
                return true;
            }
            catch (CognitoDeviceConfigurationException ex)
            {
                if (ex.InnerException is CredentialResolutionDetail detail) WriteDetail(detail);
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

        /// <summary>Writes a result with a type name that says which set made it, so its view shows what that set has.</summary>
        internal void WriteResult(object result)
        {
            PSObject wrapped = PSObject.AsPSObject(result);
            wrapped.TypeNames.Insert(0, result.GetType().FullName + "#" + (IsAdmin ? AdminSet : AccessTokenSet));
            WriteObject(wrapped);
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
                RecommendedAction = ErrorCatalog.RecommendedActionFor(exception.ErrorCode, exception.Operation),
            };
            return record;
        }

        private DeviceSession CreateSession()
        {
            string? profile = IsAdmin ? ProfileNameValue : null;
            CognitoSettings settings = CognitoSettings.Load(EndpointUrl, profile,
                Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
            // Admin credentials are resolved here, on the pipeline thread, so an MFA prompt reaches the host.
            IRequestSigner? signer = IsAdmin ? AdminSigning.CreateInteractiveSigner(profile, ReadMfaCode) : null;
            return new DeviceSession(settings, ModuleRuntime.CreateClient(settings), IsAdmin ? null : SecretText.Reveal(AccessTokenValue),
                () => signer ?? throw new InvalidOperationException("The access-token path signs nothing."));
        }

        /// <summary>The sanitized SDK detail of a credential failure, for -Debug (a host that cannot ask loses only this line).</summary>
        private void WriteDetail(CredentialResolutionDetail detail)
        {
            try
            {
                WriteDebug(detail.ToString());
            }
            catch (Exception ex) when (ex is PSInvalidOperationException || ex is HostException)
            {
            }
        }

        /// <summary>Asks the host for an MFA code; null when the host cannot ask (non-interactive) or got no answer.</summary>
        private string? ReadMfaCode(string serialNumber)
        {
            const string Field = "MFA code";
            try
            {
                var fields = new Collection<FieldDescription> { new FieldDescription(Field) };
                Dictionary<string, PSObject>? answer = Host?.UI?.Prompt("AWS multi-factor authentication", "Enter the current code of MFA device " + serialNumber + ".", fields);
                return answer is not null && answer.TryGetValue(Field, out PSObject? value) ? value?.BaseObject?.ToString() : null;
            }
            catch (Exception ex) when (ex is PSInvalidOperationException || ex is HostException || ex is NotImplementedException || ex is PSNotImplementedException)
            {
                return null;
            }
        }
    }
}
