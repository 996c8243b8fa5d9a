using System;
using System.Net.Http;

namespace CognitoDevice.Protocol
{
    /// <summary>Signs one attempt of an Admin call. The implementation lives apart so the token path never loads it.</summary>
    internal interface IRequestSigner
    {
        /// <summary>Adds the signature headers to <paramref name="request"/> for <paramref name="body"/>.</summary>
        void Sign(HttpRequestMessage request, byte[] body, string region, DateTime utcNow);

        /// <summary>The credential values that must never appear in output (secret key, session token).</summary>
        string[] SecretValues { get; }
    }
}
