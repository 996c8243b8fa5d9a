using System;
using System.Runtime.CompilerServices;
using CognitoDevice.Protocol;

namespace CognitoDevice.Auth
{
    /// <summary>
    /// The one door to the AWS SDK. Its method is never inlined, so compiling the callers (the token path)
    /// does not load AWSSDK.Core; only calling it does.
    /// </summary>
    internal static class AdminSigning
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static IRequestSigner CreateSigner(string? profileName) => AdminCredentials.CreateSigner(profileName, null);

        /// <summary>As <see cref="CreateSigner"/>, asking the host through <paramref name="readMfaCode"/> when a role needs an MFA code.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static IRequestSigner CreateInteractiveSigner(string? profileName, Func<string, string?>? readMfaCode) =>
            AdminCredentials.CreateSigner(profileName, readMfaCode);
    }
}
