using System;
using System.Net.Http;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using CognitoDevice.Protocol;

namespace CognitoDevice.Auth
{
    /// <summary>
    /// Signs Admin calls with AWSSDK.Core's SigV4 signer (signing name cognito-idp). This class and
    /// <see cref="AdminCredentials"/> are the only places that touch AWS SDK types, and only the Admin
    /// parameter set reaches them, so the token path never loads AWSSDK.Core.
    /// </summary>
    internal sealed class SigV4Signer : IRequestSigner
    {
        public const string SigningName = "cognito-idp";

        private readonly AWSCredentials _credentials;
        private readonly object _gate = new object();
        private readonly SigningConfig _config = new SigningConfig();
        private string[] _secretValues;

        public SigV4Signer(AWSCredentials credentials)
        {
            _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
            _secretValues = Array.Empty<string>();
        }

        public string[] SecretValues
        {
            get
            {
                lock (_gate) return _secretValues;
            }
        }

        /// <summary>Resolves the current credentials (refreshing ones refresh here) and remembers their secrets for redaction.</summary>
        internal ImmutableCredentials Current()
        {
            ImmutableCredentials current = _credentials.GetCredentials();
            lock (_gate)
            {
                _secretValues = current.UseToken ? new[] { current.SecretKey, current.Token } : new[] { current.SecretKey };
            }
            return current;
        }

        public void Sign(HttpRequestMessage request, byte[] body, string region, DateTime utcNow)
        {
            ImmutableCredentials credentials = Current();
            Uri uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
            var signable = new DefaultRequest(new SignableRequest(), "CognitoIdentityProvider")
            {
                HttpMethod = request.Method.Method,
                Endpoint = new Uri(uri.GetLeftPart(UriPartial.Authority)),
                ResourcePath = uri.AbsolutePath,
                Content = body,
                AuthenticationRegion = region,
            };
            foreach (var header in request.Headers)
            {
                if (string.Equals(header.Key, "X-Amz-Target", StringComparison.OrdinalIgnoreCase))
                {
                    signable.Headers[header.Key] = string.Join(",", header.Value);
                }
            }
            signable.Headers["Content-Type"] = CognitoClient.ContentType;
            if (credentials.UseToken) signable.Headers["X-Amz-Security-Token"] = credentials.Token;

            AWS4SigningResult result;
            lock (_gate)
            {
                _config.AuthenticationRegion = region;
                result = new AWS4Signer().SignRequest(signable, _config, null, credentials.AccessKey, credentials.SecretKey, utcNow);
            }

            foreach (string name in new[] { "X-Amz-Date", "X-Amz-Content-SHA256", "X-Amz-Security-Token" })
            {
                if (signable.Headers.TryGetValue(name, out string? value))
                {
                    request.Headers.Remove(name);
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }
            request.Headers.Remove("Authorization");
            request.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
        }

        private sealed class SignableRequest : AmazonWebServiceRequest
        {
        }

        /// <summary>The minimum client configuration the signer reads: signing name and region.</summary>
        private sealed class SigningConfig : ClientConfig
        {
            public SigningConfig()
                : base(new NoDefaults())
            {
                AuthenticationServiceName = SigningName;
            }

            public override string ServiceVersion => "2016-04-18";

            public override string UserAgent => "CognitoDevice";

            public override string RegionEndpointServiceName => SigningName;

            public override Amazon.Runtime.Endpoints.Endpoint DetermineServiceOperationEndpoint(Amazon.Runtime.Endpoints.ServiceOperationEndpointParameters parameters) =>
                throw new NotSupportedException("CognitoDevice resolves its own endpoints.");
        }

        private sealed class NoDefaults : IDefaultConfigurationProvider
        {
            public IDefaultConfiguration GetDefaultConfiguration(Amazon.RegionEndpoint clientRegion, DefaultConfigurationMode? requestedConfigurationMode = null) =>
                throw new NotSupportedException("CognitoDevice uses no SDK default configuration.");
        }
    }
}
