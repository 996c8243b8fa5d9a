using System;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using CognitoDevice.Configuration;
using CognitoDevice.Protocol;

namespace CognitoDevice.Runtime
{
    /// <summary>
    /// What lives as long as the module: one HTTP connection pool (reused across records and invocations),
    /// the retry quota and the adaptive pacer. Nothing here is created before the first call.
    /// </summary>
    internal static class ModuleRuntime
    {
        private static readonly Lazy<HttpClient> SharedHttp = new Lazy<HttpClient>(CreateHttpClient);
        private static readonly RetryQuota SharedQuota = new RetryQuota();
        private static readonly Lazy<AdaptivePacer> SharedPacer = new Lazy<AdaptivePacer>(() => new AdaptivePacer());
        private static readonly Lazy<QuotaPacing> SharedQuotas = new Lazy<QuotaPacing>(() => new QuotaPacing());

        public static string Version { get; } =
            typeof(ModuleRuntime).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

        public static string UserAgent { get; } = "CognitoDevice/" + Version + " (PowerShell module; " + RuntimeInformation.FrameworkDescription.Trim() + ")";

        public static HttpClient Http => SharedHttp.Value;

        /// <summary>A client over the shared connection pool, with the retry settings of this invocation.</summary>
        public static CognitoClient CreateClient(CognitoSettings settings) =>
            new CognitoClient(Http, new RetryStrategy(settings.MaxAttempts, SharedQuota), UserAgent, settings.Adaptive ? SharedPacer.Value : null)
            {
                Quotas = ConfiguredQuotas(Environment.GetEnvironmentVariable),
            };

        /// <summary>
        /// The session's quota pacing (one for every cmdlet of the session), with the rates of the COGNITODEVICE_QUOTA_*
        /// variables as they are now (read per invocation, so a runbook can change them between commands).
        /// </summary>
        public static QuotaPacing ConfiguredQuotas(Func<string, string?> getEnvironmentVariable)
        {
            QuotaPacing quotas = SharedQuotas.Value;
            quotas.Configure(QuotaPacing.RatesFromEnvironment(getEnvironmentVariable));
            return quotas;
        }

        private static HttpClient CreateHttpClient()
        {
            var handler = new HttpClientHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.None,
            };
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                // Windows PowerShell 5.1: make sure TLS 1.2 is offered whatever the machine's .NET defaults are.
                handler.SslProtocols = SslProtocols.Tls12;
            }
            return new HttpClient(handler, disposeHandler: true)
            {
                Timeout = System.Threading.Timeout.InfiniteTimeSpan, // each attempt has its own timeout
                MaxResponseContentBufferSize = 16 * 1024 * 1024,
            };
        }
    }
}
