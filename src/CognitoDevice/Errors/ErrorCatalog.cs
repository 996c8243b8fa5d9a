using System;
using System.Collections.Generic;

namespace CognitoDevice.Errors
{
    /// <summary>
    /// Everything the module knows about an error code: its <see cref="ErrorKind"/>, the action it recommends,
    /// whether it is retried, and the typed exception. Codes are the service's own, or this module's for
    /// failures that never got a service answer (<see cref="ClientCodes"/>).
    /// </summary>
    internal static class ErrorCatalog
    {
        /// <summary>Codes of failures that produced no service error code.</summary>
        internal static class ClientCodes
        {
            public const string ConnectionFailure = "ConnectionFailure";
            public const string NameResolutionFailure = "NameResolutionFailure";
            public const string TlsFailure = "TlsFailure";
            public const string RequestTimeout = "RequestTimeout";
            public const string UnreadableResponse = "UnreadableResponse";
            public const string UnexpectedResponse = "UnexpectedResponse";
            public const string RegionNotFound = "RegionNotFound";
            public const string RegionInvalid = "RegionInvalid";
            public const string EndpointUrlInvalid = "EndpointUrlInvalid";
            public const string EndpointConfigurationInvalid = "EndpointConfigurationInvalid";
            public const string InsecureEndpoint = "InsecureEndpoint";
            public const string CredentialsNotFound = "CredentialsNotFound";
            public const string ProfileNotFound = "ProfileNotFound";
            public const string ProfileInvalid = "ProfileInvalid";
            public const string MfaRequired = "MfaRequired";
            public const string SsoTokenExpired = "SsoTokenExpired";
            public const string SsoCredentialsFailed = "SsoCredentialsFailed";
            public const string AssumeRoleFailed = "AssumeRoleFailed";
            public const string WebIdentityTokenUnreadable = "WebIdentityTokenUnreadable";
            public const string CredentialProcessFailed = "CredentialProcessFailed";
            public const string ContainerCredentialsFailed = "ContainerCredentialsFailed";
            public const string InvalidDeviceObject = "InvalidDeviceObject";
            public const string MaxAttemptsInvalid = "MaxAttemptsInvalid";
            public const string QuotaInvalid = "QuotaInvalid";
            public const string ResumeTokenInvalid = "ResumeTokenInvalid";
            public const string SweepStopped = "SweepStopped";
            public const string AccessTokenRequired = "AccessTokenRequired";
        }

        private sealed class Entry
        {
            public Entry(ErrorKind kind, string action)
            {
                Kind = kind;
                Action = action;
            }

            public ErrorKind Kind { get; }

            public string Action { get; }
        }

        private const string SigV4Action = "Check the AWS credentials used for the Admin call (-ProfileName, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, the shared credentials file) and that the machine's clock is correct.";

        private static readonly Dictionary<string, Entry> Entries = new Dictionary<string, Entry>(StringComparer.Ordinal)
        {
            ["ResourceNotFoundException"] = new Entry(ErrorKind.ObjectNotFound, "Check the device key and user pool ID: list the user's devices with Get-CognitoDevice. A device that was already forgotten is gone."),
            ["UserNotFoundException"] = new Entry(ErrorKind.ObjectNotFound, "Check the user name (-Username) and the user pool ID (-UserPoolId)."),
            ["InvalidParameterException"] = new Entry(ErrorKind.InvalidArgument, "Correct the parameter that the message names and try again."),
            ["NotAuthorizedException"] = new Entry(ErrorKind.AuthenticationError, "Sign in again for a fresh access token: it may be expired, revoked (global sign-out) or from another user pool."),
            ["PasswordResetRequiredException"] = new Entry(ErrorKind.AuthenticationError, "The user must reset the password before managing devices."),
            ["UserNotConfirmedException"] = new Entry(ErrorKind.AuthenticationError, "Confirm the user (for example with AdminConfirmSignUp) and sign in again."),
            ["MissingAuthenticationTokenException"] = new Entry(ErrorKind.AuthenticationError, SigV4Action),
            ["UnrecognizedClientException"] = new Entry(ErrorKind.AuthenticationError, SigV4Action),
            ["InvalidSignatureException"] = new Entry(ErrorKind.AuthenticationError, SigV4Action),
            ["IncompleteSignatureException"] = new Entry(ErrorKind.AuthenticationError, SigV4Action),
            ["InvalidClientTokenId"] = new Entry(ErrorKind.AuthenticationError, SigV4Action),
            ["SignatureDoesNotMatch"] = new Entry(ErrorKind.AuthenticationError, SigV4Action),
            ["ExpiredToken"] = new Entry(ErrorKind.AuthenticationError, "The AWS session token has expired: refresh the credentials and try again."),
            ["ExpiredTokenException"] = new Entry(ErrorKind.AuthenticationError, "The AWS session token has expired: refresh the credentials and try again."),
            ["ForbiddenException"] = new Entry(ErrorKind.PermissionDenied, "AWS WAF blocked the request through the web ACL of the user pool: check the web ACL rules."),
            ["AccessDeniedException"] = new Entry(ErrorKind.PermissionDenied, "Grant the IAM principal permission for this cognito-idp action on the user pool."),
            ["AccessDenied"] = new Entry(ErrorKind.PermissionDenied, "Grant the IAM principal permission for this cognito-idp action on the user pool."),
            ["TooManyRequestsException"] = new Entry(ErrorKind.LimitsExceeded, "The account's request-rate quota was exceeded after all retries: slow down, raise AWS_MAX_ATTEMPTS, or use AWS_RETRY_MODE=adaptive."),
            ["InvalidUserPoolConfigurationException"] = new Entry(ErrorKind.NotEnabled, "Turn on device tracking (device remembering) in the user pool, or correct its configuration."),
            ["OperationNotEnabledException"] = new Entry(ErrorKind.NotEnabled, "Enable this feature for the user pool or account, then try again."),
            ["InternalErrorException"] = new Entry(ErrorKind.ResourceUnavailable, "Cognito had an internal error that did not clear after retries: try again later."),
            [ClientCodes.ConnectionFailure] = new Entry(ErrorKind.ConnectionError, "Check the network path to the Cognito endpoint (proxy, firewall, -EndpointUrl) and try again."),
            [ClientCodes.NameResolutionFailure] = new Entry(ErrorKind.ConnectionError, "The endpoint's host name could not be resolved: check -Region, -EndpointUrl and DNS."),
            [ClientCodes.TlsFailure] = new Entry(ErrorKind.SecurityError, "The TLS connection to the endpoint could not be established or its certificate is not trusted: check -EndpointUrl and any TLS-inspecting proxy."),
            [ClientCodes.RequestTimeout] = new Entry(ErrorKind.OperationTimeout, "The endpoint did not answer in time after retries: check the network and try again."),
            [ClientCodes.UnreadableResponse] = new Entry(ErrorKind.ProtocolError, "The endpoint answered with a body that is not a Cognito response: check -EndpointUrl and any proxy in between."),
            [ClientCodes.UnexpectedResponse] = new Entry(ErrorKind.ProtocolError, "Something other than Cognito answered (a proxy or gateway error page?): check -EndpointUrl, the proxy and try again."),
            [ClientCodes.RegionNotFound] = new Entry(ErrorKind.InvalidArgument, "Pass -Region, or set AWS_REGION, or set region in the AWS config profile."),
            [ClientCodes.RegionInvalid] = new Entry(ErrorKind.InvalidArgument, "Pass a region name such as 'us-east-1' with -Region."),
            [ClientCodes.EndpointUrlInvalid] = new Entry(ErrorKind.InvalidArgument, "Pass an absolute http or https URL such as 'https://cognito-idp.us-east-1.amazonaws.com' with -EndpointUrl, or correct AWS_ENDPOINT_URL."),
            [ClientCodes.EndpointConfigurationInvalid] = new Entry(ErrorKind.InvalidArgument, "Do not combine FIPS or dual-stack settings with a custom endpoint, and use them only in partitions that support them."),
            [ClientCodes.InsecureEndpoint] = new Entry(ErrorKind.SecurityError, "Use an https:// endpoint. Plain http is allowed only to a loopback address (127.0.0.1, ::1, localhost)."),
            [ClientCodes.CredentialsNotFound] = new Entry(ErrorKind.AuthenticationError, "Admin calls need AWS credentials: pass -ProfileName, set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure a [default] profile in the shared config or credentials file."),
            [ClientCodes.ProfileNotFound] = new Entry(ErrorKind.AuthenticationError, "Check the profile name: it must be in the shared config or credentials file (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE)."),
            [ClientCodes.ProfileInvalid] = new Entry(ErrorKind.AuthenticationError, "Complete the profile in the shared config file: static keys, credential_process, role_arn with source_profile or credential_source, web_identity_token_file, or sso_session / sso_start_url with sso_account_id and sso_role_name."),
            [ClientCodes.MfaRequired] = new Entry(ErrorKind.AuthenticationError, "Run the command in an interactive PowerShell session and enter the MFA code when asked, or use a profile without mfa_serial for automation (IAM Identity Center, web identity or a role without MFA)."),
            [ClientCodes.SsoTokenExpired] = new Entry(ErrorKind.AuthenticationError, "Sign in to IAM Identity Center with 'aws sso login --profile <profile>' (it writes the token to ~/.aws/sso/cache), then run the command again."),
            [ClientCodes.SsoCredentialsFailed] = new Entry(ErrorKind.AuthenticationError, "Check sso_account_id and sso_role_name in the profile and that your IAM Identity Center user is assigned that permission set."),
            [ClientCodes.AssumeRoleFailed] = new Entry(ErrorKind.AuthenticationError, "Check role_arn, that the role's trust policy allows the source identity (source_profile, credential_source or the web identity token), and the network path to AWS STS."),
            [ClientCodes.WebIdentityTokenUnreadable] = new Entry(ErrorKind.AuthenticationError, "Check that AWS_WEB_IDENTITY_TOKEN_FILE (or web_identity_token_file in the profile) names a readable file with the current token."),
            [ClientCodes.CredentialProcessFailed] = new Entry(ErrorKind.AuthenticationError, "Run the profile's credential_process command yourself: it must exit 0 and print JSON with Version 1, AccessKeyId and SecretAccessKey."),
            [ClientCodes.ContainerCredentialsFailed] = new Entry(ErrorKind.AuthenticationError, "Check AWS_CONTAINER_CREDENTIALS_FULL_URI (or _RELATIVE_URI) and AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE): the container credentials endpoint must answer."),
            [ClientCodes.MaxAttemptsInvalid] = new Entry(ErrorKind.InvalidArgument, "Set AWS_MAX_ATTEMPTS (or max_attempts in the profile) to a whole number from 1 to 20."),
            [ClientCodes.QuotaInvalid] = new Entry(ErrorKind.InvalidArgument, "Set the COGNITODEVICE_QUOTA_* environment variable to the requests per second your account's quota allows (0 turns pacing off for that category), or remove it for Cognito's default."),
            [ClientCodes.ResumeTokenInvalid] = new Entry(ErrorKind.InvalidArgument, "Pass the -ResumeToken printed by the sweep that stopped, with the same -UserPoolId and -UserFilter, or start again without -ResumeToken."),
            [ClientCodes.SweepStopped] = new Entry(ErrorKind.OperationStopped, "Run the same command again with the -ResumeToken that the warning shows to continue where the sweep stopped."),
            [ClientCodes.AccessTokenRequired] = new Entry(ErrorKind.InvalidArgument, "Pass -AccessToken to this cmdlet as well: Get-CognitoDevice -AccessToken $token | Remove-CognitoDevice -AccessToken $token. Device objects never carry the token."),
            [ClientCodes.InvalidDeviceObject] = new Entry(ErrorKind.InvalidArgument, "Pipe device keys (strings) or objects with a DeviceKey property, such as the output of Get-CognitoDevice."),
        };

        /// <summary>Codes that mean "slow down" (AWS standard retry mode's throttling list).</summary>
        private static readonly HashSet<string> ThrottlingCodes = new HashSet<string>(StringComparer.Ordinal)
        {
            "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
            "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
            "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
            "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
        };

        /// <summary>Codes of transient failures (AWS standard retry mode's list, plus Cognito's InternalErrorException).</summary>
        private static readonly HashSet<string> TransientCodes = new HashSet<string>(StringComparer.Ordinal)
        {
            "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "InternalErrorException",
            ClientCodes.ConnectionFailure, ClientCodes.RequestTimeout,
        };

        public static ErrorKind KindOf(string code) =>
            Entries.TryGetValue(code, out Entry? entry) ? entry.Kind
            : ThrottlingCodes.Contains(code) ? ErrorKind.LimitsExceeded
            : ErrorKind.NotSpecified;

        /// <summary>What to do about <paramref name="code"/>; where it depends on the operation (what was not found), for that operation.</summary>
        public static string RecommendedActionFor(string code, string? operation = null) =>
            ActionForOperation(code, operation)
            ?? (Entries.TryGetValue(code, out Entry? entry) ? entry.Action
            : ThrottlingCodes.Contains(code) ? Entries["TooManyRequestsException"].Action
            : "See the message and the Amazon Cognito documentation for this error code.");

        private static string? ActionForOperation(string code, string? operation)
        {
            if (code != "ResourceNotFoundException" || operation is null) return null;
            switch (operation)
            {
                case "ListDevices":
                    return "The user pool of the access token was not found: sign in again, and check -Region and -EndpointUrl.";
                case "AdminListDevices":
                    return "The user pool was not found: check -UserPoolId, and -Region or -EndpointUrl if the pool lives elsewhere.";
                case "AdminGetDevice":
                case "AdminForgetDevice":
                case "AdminUpdateDeviceStatus":
                    return "The device or the user pool was not found: check the device key and -UserPoolId (Get-CognitoDevice -UserPoolId ... -Username ... lists the user's devices). A device that was already forgotten is gone.";
                default:
                    return "The device was not found: check the device key (Get-CognitoDevice -AccessToken ... lists the user's devices). A device that was already forgotten is gone.";
            }
        }

        public static bool IsThrottling(string code) => ThrottlingCodes.Contains(code);

        /// <summary>
        /// Whether an answer is worth another attempt: throttling and transient codes, and HTTP 500/502/503/504.
        /// Classified by code first; a 4xx status is never retried by status alone (TooManyRequestsException is a 400).
        /// </summary>
        public static bool IsRetryable(string code, int? statusCode) =>
            ThrottlingCodes.Contains(code)
            || TransientCodes.Contains(code)
            || statusCode == 500 || statusCode == 502 || statusCode == 503 || statusCode == 504;

        /// <summary>The typed exception for a service error code; an unknown code gets the base type.</summary>
        public static CognitoDeviceException CreateServiceException(string code, string message, int? statusCode, string? requestId, string? operation)
        {
            switch (code)
            {
                case "ResourceNotFoundException": return new ResourceNotFoundException(message, statusCode, requestId, operation);
                case "InvalidParameterException": return new InvalidParameterException(message, statusCode, requestId, operation);
                case "NotAuthorizedException": return new NotAuthorizedException(message, statusCode, requestId, operation);
                case "TooManyRequestsException": return new TooManyRequestsException(message, statusCode, requestId, operation);
                case "InvalidUserPoolConfigurationException": return new InvalidUserPoolConfigurationException(message, statusCode, requestId, operation);
                case "PasswordResetRequiredException": return new PasswordResetRequiredException(message, statusCode, requestId, operation);
                case "UserNotFoundException": return new UserNotFoundException(message, statusCode, requestId, operation);
                case "UserNotConfirmedException": return new UserNotConfirmedException(message, statusCode, requestId, operation);
                case "InternalErrorException": return new InternalErrorException(message, statusCode, requestId, operation);
                case "ForbiddenException": return new ForbiddenException(message, statusCode, requestId, operation);
                case "OperationNotEnabledException": return new OperationNotEnabledException(message, statusCode, requestId, operation);
                default: return new CognitoDeviceException(code, message, statusCode, requestId, operation, null);
            }
        }
    }
}
