namespace CognitoDevice.LocalEndpoint
{
    /// <summary>Options of a <see cref="LocalCognito"/> instance (read once at start).</summary>
    public sealed class LocalCognitoOptions
    {
        /// <summary>TCP port on 127.0.0.1; 0 picks a free (ephemeral) port.</summary>
        public int Port { get; set; } = 0;

        /// <summary>Serve HTTPS with a self-signed certificate generated at start (CN=localhost, SAN DNS localhost and IP 127.0.0.1).</summary>
        public bool UseHttps { get; set; }

        /// <summary>Account-wide token bucket (burst = ceil(rps)); excess requests get 400 TooManyRequestsException "Rate exceeded".</summary>
        public double? RequestsPerSecond { get; set; }

        /// <summary>Operations without an output shape (ForgetDevice, AdminForgetDevice) answer 200 with an empty body instead of "{}".</summary>
        public bool EmptyBodyForNoOutput { get; set; }

        /// <summary>Write dates as 1.700000000123E9 (Java double style, as Coral does) instead of 1700000000.123.</summary>
        public bool ExponentTimestamps { get; set; }

        /// <summary>Cognito's per-category and per-user quotas (e.g. <c>QuotaSettings.Cognito(scale)</c>); null: none.</summary>
        public Quotas.QuotaSettings? Quotas { get; set; }

        /// <summary>Delay added before each service request is processed (simulated network latency).</summary>
        public System.TimeSpan Latency { get; set; }

        internal LocalCognitoOptions Copy() => new LocalCognitoOptions
        {
            Quotas = Quotas?.Copy(),
            Latency = Latency,
            Port = Port,
            UseHttps = UseHttps,
            RequestsPerSecond = RequestsPerSecond,
            EmptyBodyForNoOutput = EmptyBodyForNoOutput,
            ExponentTimestamps = ExponentTimestamps,
        };
    }
}
