using System;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using CognitoDevice.Errors;
using CognitoDevice.Protocol;

namespace CognitoDevice.Auth
{
    /// <summary>
    /// Resolves AWS credentials for the Admin calls through AWSSDK.Core: -ProfileName from the shared
    /// credentials/config files (and the SDK store on Windows), otherwise the SDK's default chain
    /// (AWS_* environment variables, AWS_PROFILE, the default profile, web identity, container and, unless
    /// AWS_EC2_METADATA_DISABLED=true, instance metadata).
    /// </summary>
    internal static class AdminCredentials
    {
        public static IRequestSigner CreateSigner(string? profileName)
        {
            AWSCredentials credentials = Resolve(profileName);
            var signer = new SigV4Signer(credentials);
            try
            {
                signer.Current();
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                throw new CognitoDeviceConfigurationException(ErrorCatalog.ClientCodes.CredentialsNotFound,
                    "The AWS credentials could not be obtained: " + SecretRedactor.Redact(ex.Message, null), ex.GetType().FullName);
            }
            return signer;
        }

        private static AWSCredentials Resolve(string? profileName)
        {
            if (!string.IsNullOrEmpty(profileName))
            {
                var chain = new CredentialProfileStoreChain();
                if (chain.TryGetAWSCredentials(profileName, out AWSCredentials? fromProfile) && fromProfile is not null) return fromProfile;
                throw new CognitoDeviceConfigurationException(ErrorCatalog.ClientCodes.ProfileNotFound,
                    $"The AWS profile '{profileName}' was not found or has no usable credentials in the shared config or credentials file.", null);
            }
            try
            {
                return new Amazon.Runtime.Credentials.DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null);
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                throw new CognitoDeviceConfigurationException(ErrorCatalog.ClientCodes.CredentialsNotFound,
                    "No AWS credentials were found for the Admin call: " + SecretRedactor.Redact(ex.Message, null), ex.GetType().FullName);
            }
        }
    }
}
