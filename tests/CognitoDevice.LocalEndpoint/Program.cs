using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace CognitoDevice.LocalEndpoint
{
    /// <summary>
    /// Standalone mode: dotnet run --project tests/CognitoDevice.LocalEndpoint -- [--port 9229] [--rps N] [--https]
    /// Seeds pool us-east-1_LocalDemo with user alice and five devices, prints a PowerShell
    /// example (never a token or a secret) and serves until Ctrl+C.
    /// </summary>
    internal static class Program
    {
        internal const string DemoPoolId = "us-east-1_LocalDemo";
        internal const string DemoUser = "alice";

        private static async Task<int> Main(string[] args)
        {
            var options = new LocalCognitoOptions { Port = 9229 };
            for (int i = 0; i < args.Length; i++)
            {
                string a = args[i];
                switch (a)
                {
                    case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= 65535:
                        options.Port = port;
                        i++;
                        break;
                    case "--rps" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out double rps) && rps > 0:
                        options.RequestsPerSecond = rps;
                        i++;
                        break;
                    case "--quotas":
                        options.Quotas ??= Quotas.QuotaSettings.Cognito();
                        break;
                    case "--quota-scale" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out double scale) && scale > 0:
                        options.Quotas ??= Quotas.QuotaSettings.Cognito();
                        options.Quotas.Scale = scale;
                        i++;
                        break;
                    case "--latency-ms" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out double latency) && latency >= 0:
                        options.Latency = TimeSpan.FromMilliseconds(latency);
                        i++;
                        break;
                    case "--https":
                        options.UseHttps = true;
                        break;
                    case "--exponent-timestamps":
                        options.ExponentTimestamps = true;
                        break;
                    case "--empty-body-for-no-output":
                        options.EmptyBodyForNoOutput = true;
                        break;
                    case "-h":
                    case "--help":
                        Console.WriteLine(Usage);
                        return 0;
                    default:
                        Console.Error.WriteLine("Unknown or incomplete argument '" + a + "'.");
                        Console.Error.WriteLine(Usage);
                        return 2;
                }
            }

            await using LocalCognito cognito = await LocalCognito.StartAsync(options, logWarningsToConsole: true, CancellationToken.None).ConfigureAwait(false);
            UserPool pool = cognito.State.CreatePool("us-east-1", DemoPoolId);
            PoolUser alice = cognito.State.CreateUser(pool, DemoUser);
            IReadOnlyList<StoredDevice> devices = cognito.State.SeedDevices(alice, 5, seed: 1);

            Console.WriteLine(Banner(cognito, devices));

            using var stop = new CancellationTokenSource();
            using (PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal))
            using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal))
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
            Console.WriteLine("Stopping.");
            return 0;

            void OnSignal(PosixSignalContext context)
            {
                context.Cancel = true; // shut down gracefully instead of terminating
                stop.Cancel();
            }
        }

        internal const string Usage =
            "Usage: dotnet run --project tests/CognitoDevice.LocalEndpoint -- [--port 9229] [--rps N] [--https]\n" +
            "       [--exponent-timestamps] [--empty-body-for-no-output] [--quotas] [--quota-scale X] [--latency-ms N]\n" +
            "  --port 0 picks a free port. See tests/CognitoDevice.LocalEndpoint/README.md for the control API.";

        /// <summary>The startup text. It never contains an access token, a secret key or a session token.</summary>
        internal static string Banner(LocalCognito cognito, IReadOnlyList<StoredDevice> devices)
        {
            string url = cognito.Url.GetLeftPart(UriPartial.Authority);
            string firstKey = devices.Count > 0 ? devices[0].DeviceKey : "<device key>";
            var lines = new List<string>
            {
                "Local Cognito endpoint (awsJson1_1, device operations) listening on " + url,
                "Demo: pool " + DemoPoolId + ", user " + DemoUser + ", " + devices.Count + " devices (" + string.Join(", ", Keys(devices)) + ")",
                "Control API: " + url + "/_local/ (pools, users, devices, tokens, faults, requests, reset, state)",
            };
            if (cognito.Options.RequestsPerSecond is double rps)
            {
                lines.Add("Rate limit: " + rps.ToString(CultureInfo.InvariantCulture) + " requests/second (TooManyRequestsException beyond).");
            }
            if (cognito.Quotas.Settings is { } quotas) lines.Add("Cognito quotas: " + quotas + " (TooManyRequestsException beyond).");
            if (cognito.Latency > TimeSpan.Zero) lines.Add("Latency: " + cognito.Latency.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + " ms per request.");
            if (cognito.Certificate != null)
            {
                lines.Add("HTTPS with a self-signed certificate (CN=localhost), thumbprint " + cognito.Certificate.Thumbprint + ": clients must trust it explicitly");
                lines.Add("(for the Invoke-RestMethod line below, PowerShell 7 needs -SkipCertificateCheck).");
            }
            lines.Add("");
            lines.Add("PowerShell, from the repository root (build the module first):");
            lines.Add("  $token = (Invoke-RestMethod -Method Post -Uri " + url + "/_local/tokens -ContentType application/json -Body '{\"poolId\":\"" + DemoPoolId + "\",\"username\":\"" + DemoUser + "\"}').AccessToken");
            lines.Add("  Import-Module ./output/CognitoDevice");
            lines.Add("  Get-CognitoDevice -AccessToken $token -EndpointUrl " + url);
            lines.Add("  Remove-CognitoDevice -AccessToken $token -DeviceKey " + firstKey + " -EndpointUrl " + url + " -WhatIf");
            lines.Add("");
            lines.Add("Admin cmdlets (SigV4 with the fake profile [" + LocalCredentials.ProfileName + "] of a committed test-only credentials file):");
            lines.Add("  $env:AWS_SHARED_CREDENTIALS_FILE = './tests/CognitoDevice.LocalEndpoint/" + LocalCredentials.CredentialsFileName + "'");
            lines.Add("  Get-CognitoDevice -UserPoolId " + DemoPoolId + " -Username " + DemoUser + " -ProfileName " + LocalCredentials.ProfileName + " -EndpointUrl " + url);
            lines.Add("");
            lines.Add("Press Ctrl+C to stop.");
            return string.Join(Environment.NewLine, lines);
        }

        private static IEnumerable<string> Keys(IReadOnlyList<StoredDevice> devices)
        {
            foreach (StoredDevice d in devices) yield return d.DeviceKey;
        }
    }
}
