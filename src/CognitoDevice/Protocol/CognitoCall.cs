using System;
using System.Collections.Generic;

namespace CognitoDevice.Protocol
{
    /// <summary>One logical Cognito call (which may take several attempts), and what happened to it.</summary>
    internal sealed class CognitoCall
    {
        public CognitoCall(string operation, Uri endpoint, string region, string jsonBody, IReadOnlyCollection<string> secrets)
        {
            Operation = operation;
            Endpoint = endpoint;
            Region = region;
            JsonBody = jsonBody;
            Secrets = secrets;
        }

        /// <summary>The Cognito operation, e.g. ForgetDevice.</summary>
        public string Operation { get; }

        public Uri Endpoint { get; }

        /// <summary>The signing region.</summary>
        public string Region { get; }

        public string JsonBody { get; }

        /// <summary>Values that must never appear in any message (the access token, credentials).</summary>
        public IReadOnlyCollection<string> Secrets { get; }

        /// <summary>Signs each attempt (Admin operations); null for the unsigned token operations.</summary>
        public IRequestSigner? Signer { get; set; }

        /// <summary>Pool and user of an Admin call (the per-user quota), or null.</summary>
        public string? QuotaUser { get; set; }

        /// <summary>Receives the verbose messages (retries). Called from the worker; the cmdlet pumps them to its thread.</summary>
        public Action<string>? Verbose { get; set; }

        /// <summary>How many attempts were sent.</summary>
        public int Attempts { get; internal set; }

        /// <summary>
        /// Whether an earlier attempt failed in a way that leaves open whether the service acted on it
        /// (a timeout, a dropped connection, a 5xx). A later "not found" may then mean "already done".
        /// </summary>
        public bool EarlierAttemptMayHaveSucceeded { get; internal set; }
    }
}
