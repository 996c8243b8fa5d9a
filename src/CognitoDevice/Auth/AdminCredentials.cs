using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using CognitoDevice.Protocol;

namespace CognitoDevice.Auth
{
    /// <summary>
    /// Resolves AWS credentials for the Admin calls through AWSSDK.Core, from the source that
    /// <see cref="CredentialSource.Select"/> picks (-ProfileName, environment keys, web identity, AWS_PROFILE, the
    /// default profile, container, instance metadata). A profile may hold static keys, credential_process, a role
    /// (source_profile, credential_source, chained, mfa_serial), web identity or IAM Identity Center (sso_session or
    /// the legacy form); AWSSDK.SecurityToken / SSO / SSOOIDC ship beside the module for the last three.
    /// One resolved credential per source lives as long as the module; the SDK refreshes it before it expires.
    /// Every failure is one <see cref="CognitoDeviceConfigurationException"/> (see <see cref="CredentialFailure"/>).
    /// </summary>
    internal static class AdminCredentials
    {
        private static readonly ConcurrentDictionary<string, AWSCredentials> Cache = new ConcurrentDictionary<string, AWSCredentials>(StringComparer.Ordinal);

        /// <summary>How many sources have a credential kept (tests).</summary>
        internal static int CachedCount => Cache.Count;

        /// <summary>Forgets every kept credential (tests).</summary>
        internal static void ClearCache() => Cache.Clear();

        /// <summary>
        /// A signer over the credentials of the selected source, resolved now (so a prompt for an MFA code, and
        /// every failure, happens on the caller's thread). <paramref name="readMfaCode"/> gets the MFA device's
        /// serial number and returns the code, or null when the host cannot ask.
        /// </summary>
        public static IRequestSigner CreateSigner(string? profileName, Func<string, string?>? readMfaCode) =>
            CreateSigner(profileName, readMfaCode, Environment.GetEnvironmentVariable);

        /// <summary>As <see cref="CreateSigner(string?, Func{string, string?}?)"/> with no way to ask for an MFA code.</summary>
        public static IRequestSigner CreateSigner(string? profileName) => CreateSigner(profileName, null);

        internal static IRequestSigner CreateSigner(string? profileName, Func<string, string?>? readMfaCode, Func<string, string?> environment)
        {
            CredentialSource? source = null;
            AWSCredentials? credentials = null;
            try
            {
                var store = new CredentialProfileStoreChain();
                source = CredentialSource.Select(profileName, environment, name => store.TryGetProfile(name, out _));
                if (source.Kind == CredentialSourceKind.None) throw CredentialFailure.NotFound();
                CredentialSource chosen = source;
                credentials = chosen.Cacheable ? Cache.GetOrAdd(chosen.CacheKey, _ => Create(chosen, store)) : Create(chosen, store);
                AttachMfa(credentials, readMfaCode);
                var signer = new SigV4Signer(credentials);
                signer.Current();
                return signer;
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                if (source is not null) Cache.TryRemove(source.CacheKey, out _);
                throw CredentialFailure.From(ex, source, KindOf(credentials), RoleArnOf(credentials), SecretsOf(environment));
            }
        }

        private static AWSCredentials Create(CredentialSource source, CredentialProfileStoreChain store)
        {
            switch (source.Kind)
            {
                case CredentialSourceKind.ProfileParameter:
                case CredentialSourceKind.EnvironmentProfile:
                case CredentialSourceKind.DefaultProfile:
                    {
                        if (!store.TryGetProfile(source.ProfileName, out CredentialProfile? profile) || profile is null)
                        {
                            throw CredentialFailure.ProfileNotFound(source);
                        }
                        AWSCredentials credentials;
                        try
                        {
                            credentials = AWSCredentialsFactory.GetAWSCredentials(profile, store);
                        }
                        catch (Exception ex) when (!(ex is OutOfMemoryException))
                        {
                            // Failed before there was a credential object: classify by what the profile says it is.
                            throw CredentialFailure.From(ex, source, KindOf(profile.Options), profile.Options.RoleArn, null);
                        }
                        if (credentials is SSOAWSCredentials sso)
                        {
                            // Use the token that 'aws sso login' cached; never start a device-code sign-in from a cmdlet.
                            if (sso.Options is not null) sso.Options.SupportsGettingNewToken = false;
                        }
                        return credentials;
                    }
                case CredentialSourceKind.EnvironmentKeys:
                    return new EnvironmentVariablesAWSCredentials();
                case CredentialSourceKind.WebIdentityEnvironment:
                    return AssumeRoleWithWebIdentityCredentials.FromEnvironmentVariables();
                case CredentialSourceKind.Container:
                    return new GenericContainerCredentials();
                case CredentialSourceKind.InstanceMetadata:
                    return new InstanceProfileAWSCredentials();
                default:
                    throw CredentialFailure.NotFound();
            }
        }

        /// <summary>Every role in the chain that names an MFA device asks the host for its code (the current host, each time).</summary>
        private static void AttachMfa(AWSCredentials credentials, Func<string, string?>? readMfaCode)
        {
            for (AWSCredentials? current = credentials; current is AssumeRoleAWSCredentials role; current = role.SourceCredentials)
            {
                string? serial = role.Options?.MfaSerialNumber;
                if (string.IsNullOrEmpty(serial)) continue;
                role.Options!.MfaTokenCodeCallback = () =>
                {
                    string? code = readMfaCode?.Invoke(serial!);
                    if (string.IsNullOrWhiteSpace(code)) throw new MfaCodeUnavailableException(serial!);
                    return code!.Trim();
                };
            }
        }

        private static CredentialKind KindOf(AWSCredentials? credentials) => credentials switch
        {
            null => CredentialKind.Unknown,
            SSOAWSCredentials _ => CredentialKind.Sso,
            AssumeRoleWithWebIdentityCredentials _ => CredentialKind.WebIdentity,
            AssumeRoleAWSCredentials _ => CredentialKind.AssumeRole,
            ProcessAWSCredentials _ => CredentialKind.Process,
            GenericContainerCredentials _ => CredentialKind.Container,
            InstanceProfileAWSCredentials _ => CredentialKind.InstanceMetadata,
            _ => CredentialKind.Static,
        };

        private static CredentialKind KindOf(CredentialProfileOptions options)
        {
            if (!string.IsNullOrEmpty(options.SsoSession) || !string.IsNullOrEmpty(options.SsoStartUrl) || !string.IsNullOrEmpty(options.SsoAccountId)) return CredentialKind.Sso;
            if (!string.IsNullOrEmpty(options.RoleArn)) return string.IsNullOrEmpty(options.WebIdentityTokenFile) ? CredentialKind.AssumeRole : CredentialKind.WebIdentity;
            if (!string.IsNullOrEmpty(options.CredentialProcess)) return CredentialKind.Process;
            return CredentialKind.Unknown;
        }

        private static string? RoleArnOf(AWSCredentials? credentials) => credentials switch
        {
            AssumeRoleWithWebIdentityCredentials w => w.RoleArn,
            AssumeRoleAWSCredentials r => r.RoleArn,
            _ => null,
        };

        /// <summary>Secret values in the environment that an SDK message could echo.</summary>
        private static IEnumerable<string?> SecretsOf(Func<string, string?> environment) => new[]
        {
            environment("AWS_SECRET_ACCESS_KEY"),
            environment("AWS_SESSION_TOKEN"),
            environment("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        };
    }
}
