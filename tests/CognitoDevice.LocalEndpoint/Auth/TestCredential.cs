using System.Collections.Generic;

namespace CognitoDevice.LocalEndpoint
{
    /// <summary>A fake AWS credential accepted (or deliberately denied) by the local endpoint.</summary>
    public sealed record TestCredential(string AccessKeyId, string SecretAccessKey, string? SessionToken)
    {
        /// <summary>Never prints the secret or the session token.</summary>
        public override string ToString() =>
            "TestCredential { AccessKeyId = " + AccessKeyId + (SessionToken is null ? "" : ", with session token") + " }";
    }

    /// <summary>
    /// The fixed fake credentials of every <see cref="LocalCognito"/>. <see cref="Default"/> is the
    /// [cognito-local] profile of the committed file tests/CognitoDevice.LocalEndpoint/local-credentials.
    /// </summary>
    public static class LocalCredentials
    {
        public const string ProfileName = "cognito-local";
        public const string CredentialsFileName = "local-credentials";

        /// <summary>Allowed; no session token (profile [cognito-local]).</summary>
        public static TestCredential Default { get; } =
            new TestCredential("AKIDLOCALCOGNITO", "LocalCognitoFakeSecretKey/NotForAws/000000", null);

        /// <summary>Allowed; temporary-credential style: requests must carry X-Amz-Security-Token equal to the token.</summary>
        public static TestCredential Session { get; } =
            new TestCredential("ASIALOCALCOGNITOSTS", "LocalCognitoFakeSessionSecret/NotForAws/00", "LocalCognitoFakeSessionToken/NotForAws//LocalOnly==");

        /// <summary>Valid signature, but IAM denies every action: AccessDeniedException.</summary>
        public static TestCredential Denied { get; } =
            new TestCredential("AKIDLOCALDENIED", "LocalCognitoFakeDeniedSecret/NotForAws/000", null);

        internal static IReadOnlyDictionary<string, TestCredential> All { get; } = new Dictionary<string, TestCredential>
        {
            [Default.AccessKeyId] = Default,
            [Session.AccessKeyId] = Session,
            [Denied.AccessKeyId] = Denied,
        };
    }
}
