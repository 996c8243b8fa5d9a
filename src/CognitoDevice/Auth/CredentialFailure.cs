using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using CognitoDevice.Errors;
using CognitoDevice.Protocol;

namespace CognitoDevice.Auth
{
    /// <summary>What kind of credential a source turned into (decides how its failure reads).</summary>
    internal enum CredentialKind
    {
        Unknown,
        Static,
        Process,
        AssumeRole,
        WebIdentity,
        Sso,
        Container,
        InstanceMetadata,
    }

    /// <summary>Thrown by the MFA callback when the host gives no code (a non-interactive host, or an empty answer).</summary>
    internal sealed class MfaCodeUnavailableException : Exception
    {
        public MfaCodeUnavailableException(string serialNumber)
            : base("No MFA code was given for " + serialNumber + ".")
        {
            SerialNumber = serialNumber;
        }

        public string SerialNumber { get; }
    }

    /// <summary>The diagnostic copy of an AWS SDK exception kept as the inner exception: its type and message with secrets removed.</summary>
    internal sealed class CredentialResolutionDetail : Exception
    {
        internal CredentialResolutionDetail(string sourceType, string message, Exception? inner)
            : base(message, inner)
        {
            SourceType = sourceType;
        }

        /// <summary>The full name of the exception type the SDK threw.</summary>
        public string SourceType { get; }

        public override string ToString() => SourceType + ": " + Message + (InnerException is null ? string.Empty : " ---> " + InnerException);
    }

    /// <summary>
    /// Turns any failure to resolve Admin credentials into one <see cref="CognitoDeviceConfigurationException"/> whose
    /// code says what went wrong, whose message names the source and the fix, and whose inner exception is a
    /// sanitized copy of the SDK's (no SDK exception type escapes; no secret survives).
    /// </summary>
    internal static class CredentialFailure
    {
        // key = value or "Key":"value" pairs whose value is a secret (INI files, credential_process JSON, SSO caches, STS XML).
        private static readonly Regex SecretPairs = new Regex(
            "(?<name>aws_secret_access_key|aws_session_token|secret_?access_?key|session_?token|access_?token|refresh_?token|web_?identity_?token|client_?secret|\"?token\"?)"
            + "(?<sep>\"?\\s*[:=]\\s*\"?|>)(?<value>[^\"\\s<,}]+)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>Removes secret values (the known ones and anything in a key = secret shape) from SDK text.</summary>
        public static string Sanitize(string? text, IEnumerable<string?>? secrets)
        {
            string redacted = SecretRedactor.Redact(text, secrets);
            return SecretPairs.Replace(redacted, m => m.Groups["name"].Value + m.Groups["sep"].Value + SecretRedactor.Mask);
        }

        /// <summary>A sanitized copy of the exception chain (types and messages only; no stack, no data).</summary>
        public static CredentialResolutionDetail? Detail(Exception? exception, IEnumerable<string?>? secrets, int depth = 0)
        {
            if (exception is null || depth > 8) return null;
            Exception? inner = exception is AggregateException aggregate && aggregate.InnerExceptions.Count == 1 ? aggregate.InnerExceptions[0] : exception.InnerException;
            return new CredentialResolutionDetail(exception.GetType().FullName ?? exception.GetType().Name, Sanitize(exception.Message, secrets),
                Detail(inner, secrets, depth + 1));
        }

        public static CognitoDeviceConfigurationException ProfileNotFound(CredentialSource source) =>
            Create(ErrorCatalog.ClientCodes.ProfileNotFound,
                $"The AWS {source.Description} was not found in the shared config or credentials file (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE).",
                null, null);

        public static CognitoDeviceConfigurationException NotFound() =>
            Create(ErrorCatalog.ClientCodes.CredentialsNotFound,
                "No AWS credentials were found for the Admin call. Tried, in order: " + CredentialSource.ChainDescription + ".", null, null);

        /// <summary>Classifies a failure of <paramref name="source"/>, whose credential (when it got that far) was of <paramref name="kind"/>.</summary>
        public static CognitoDeviceConfigurationException From(Exception exception, CredentialSource? source, CredentialKind kind, string? roleArn,
            IEnumerable<string?>? secrets)
        {
            if (exception is CognitoDeviceConfigurationException already) return already;
            CredentialResolutionDetail? detail = Detail(exception, secrets);
            string what = source?.Description ?? "the AWS credential source";
            string? profile = source?.ProfileName;
            string loginProfile = profile ?? "<profile>";

            MfaCodeUnavailableException? mfa = Find<MfaCodeUnavailableException>(exception);
            if (mfa is not null)
            {
                return Create(ErrorCatalog.ClientCodes.MfaRequired,
                    $"The role of the AWS {what} needs an MFA code (mfa_serial {mfa.SerialNumber}), and this PowerShell host did not give one: " +
                    "it is non-interactive or the answer was empty.", detail, mfa.SerialNumber);
            }
            if (HasTypeName(exception, "ProfileNotFoundException"))
            {
                return Create(ErrorCatalog.ClientCodes.ProfileNotFound,
                    $"The AWS {what} was not found in the shared config or credentials file (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE).", detail, null);
            }
            string? serviceCode = ServiceErrorCode(exception);
            switch (kind)
            {
                case CredentialKind.Sso:
                    if (serviceCode is null || serviceCode.StartsWith("Unauthorized", StringComparison.Ordinal) || serviceCode == "InvalidRequestException")
                    {
                        return Create(ErrorCatalog.ClientCodes.SsoTokenExpired,
                            $"The IAM Identity Center (SSO) sign-in for the AWS {what} is missing or has expired. Run 'aws sso login --profile {loginProfile}' and try again.",
                            detail, serviceCode);
                    }
                    return Create(ErrorCatalog.ClientCodes.SsoCredentialsFailed,
                        $"IAM Identity Center did not give role credentials for the AWS {what} ({serviceCode}): check sso_account_id and sso_role_name.", detail, serviceCode);
                case CredentialKind.AssumeRole:
                case CredentialKind.WebIdentity:
                    {
                        string role = roleArn is null ? "the role" : "role " + roleArn;
                        if (serviceCode is not null)
                        {
                            return Create(ErrorCatalog.ClientCodes.AssumeRoleFailed,
                                $"AWS STS refused to let the {what} assume {role} ({serviceCode}).", detail, serviceCode);
                        }
                        if (kind == CredentialKind.WebIdentity && HasMessage(exception, "WebIdentityTokenFile"))
                        {
                            return Create(ErrorCatalog.ClientCodes.WebIdentityTokenUnreadable,
                                $"The web identity token file of the {what} could not be read.", detail, null);
                        }
                        return Create(ErrorCatalog.ClientCodes.AssumeRoleFailed,
                            $"The {what} could not assume {role}: AWS STS could not be reached or its source credentials failed.", detail, null);
                    }
                case CredentialKind.Process:
                    return Create(ErrorCatalog.ClientCodes.CredentialProcessFailed,
                        $"The credential_process of the AWS {what} failed or did not print usable credentials.", detail, null);
                case CredentialKind.Container:
                    return Create(ErrorCatalog.ClientCodes.ContainerCredentialsFailed,
                        $"The {what} could not be read from the container credentials endpoint.", detail, null);
                case CredentialKind.InstanceMetadata:
                    return Create(ErrorCatalog.ClientCodes.CredentialsNotFound,
                        "No AWS credentials were found for the Admin call (EC2 instance metadata did not answer either). Tried, in order: " + CredentialSource.ChainDescription + ".",
                        detail, null);
            }
            if (source is not null && source.IsProfile)
            {
                return Create(ErrorCatalog.ClientCodes.ProfileInvalid,
                    $"The AWS {what} cannot give credentials: its settings are incomplete or not supported (see the inner exception).", detail, null);
            }
            return Create(ErrorCatalog.ClientCodes.CredentialsNotFound,
                $"The AWS credentials could not be obtained from {what}.", detail, null);
        }

        private static CognitoDeviceConfigurationException Create(string code, string message, CredentialResolutionDetail? detail, string? extra) =>
            new CognitoDeviceConfigurationException(code, message, extra ?? detail?.SourceType, detail);

        private static T? Find<T>(Exception? exception)
            where T : Exception
        {
            for (int i = 0; exception is not null && i < 10; i++)
            {
                if (exception is T found) return found;
                exception = exception is AggregateException a && a.InnerExceptions.Count == 1 ? a.InnerExceptions[0] : exception.InnerException;
            }
            return null;
        }

        private static bool HasTypeName(Exception? exception, string name)
        {
            for (int i = 0; exception is not null && i < 10; i++, exception = exception.InnerException)
            {
                if (exception.GetType().Name == name) return true;
            }
            return false;
        }

        private static bool HasMessage(Exception? exception, string text)
        {
            for (int i = 0; exception is not null && i < 10; i++, exception = exception.InnerException)
            {
                if (exception.Message.IndexOf(text, StringComparison.OrdinalIgnoreCase) >= 0) return true;
            }
            return false;
        }

        /// <summary>The error code of the first AWS service error in the chain (AmazonServiceException.ErrorCode), read by name.</summary>
        private static string? ServiceErrorCode(Exception? exception)
        {
            for (int i = 0; exception is not null && i < 10; i++, exception = exception.InnerException)
            {
                for (Type? t = exception.GetType(); t is not null; t = t.BaseType)
                {
                    if (t.FullName == "Amazon.Runtime.AmazonServiceException")
                    {
                        string? code = exception.GetType().GetProperty("ErrorCode")?.GetValue(exception) as string;
                        if (!string.IsNullOrEmpty(code)) return code;
                        break;
                    }
                }
            }
            return null;
        }
    }
}
