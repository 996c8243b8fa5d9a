using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Configuration;
using CognitoDevice.Errors;
using CognitoDevice.Operations;
using CognitoDevice.Protocol;
using CognitoDevice.Runtime;

namespace CognitoDevice.Bench
{
    /// <summary>
    /// The child modes. Each prints one JSON line on stdout. Methods that name module types are separate and
    /// never inlined, so the dispatcher's JIT does not load CognitoDevice.dll early.
    /// </summary>
    internal static class Children
    {
        public const string NoopMode = "--noop-child";
        public const string ColdStartMode = "--cold-start-child";
        public const string ColdFloorMode = "--cold-floor-child";
        public const string LoadMode = "--load-child";
        public const string QuotaMode = "--quota-child";

        /// <summary>The runtime's own floor: start the host, run Main, print, exit.</summary>
        public static int Noop()
        {
            long mainTicks = DateTime.UtcNow.Ticks;
            Console.Out.Write("{\"mainUtcTicks\":" + mainTicks.ToString(CultureInfo.InvariantCulture) + "}\n");
            return 0;
        }

        /// <summary>--cold-start-child URL - KEY (token in COGNITODEVICE_BENCH_TOKEN): one ForgetDevice over the module's token path, as the cmdlet builds it.</summary>
        /// <summary>Writes the child's timing line (JSON) and returns its exit code.</summary>
        private static int WriteTimings(long mainTicks, long t0, string? error)
        {
            long doneTicks = DateTime.UtcNow.Ticks;
            double mainToDoneMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            Console.Out.Write("{\"mainUtcTicks\":" + mainTicks.ToString(CultureInfo.InvariantCulture)
                + ",\"doneUtcTicks\":" + doneTicks.ToString(CultureInfo.InvariantCulture)
                + ",\"mainToDoneMs\":" + mainToDoneMs.ToString("R", CultureInfo.InvariantCulture)
                + ",\"error\":" + (error is null ? "null" : "\"" + error.Replace("\\", "\\\\").Replace("\"", "'") + "\"") + "}\n");
            return error is null ? 0 : 1;
        }

        /// <summary>The access token, from the environment (the argument in its place is "-").</summary>
        private static string Token() =>
            Environment.GetEnvironmentVariable(ChildProcess.TokenVariable) ?? throw new InvalidOperationException(ChildProcess.TokenVariable + " is not set.");

        public static int ColdStart(string[] args)
        {
            long mainTicks = DateTime.UtcNow.Ticks;
            long t0 = Stopwatch.GetTimestamp();
            if (args.Length != 4)
            {
                Console.Error.WriteLine("usage: " + ColdStartMode + " <url> - <key>");
                return 2;
            }
            string? error = ForgetOnce(args[1], Token(), args[3]);
            return WriteTimings(mainTicks, t0, error);
        }

        /// <summary>
        /// --cold-floor-child URL - KEY (token in COGNITODEVICE_BENCH_TOKEN) USER_AGENT: the same first request with a plain HttpClient (the floor of part 1),
        /// so the .NET HTTP stack's own cold cost can be told apart from the module's.
        /// </summary>
        public static int ColdFloor(string[] args)
        {
            long mainTicks = DateTime.UtcNow.Ticks;
            long t0 = Stopwatch.GetTimestamp();
            if (args.Length != 5)
            {
                Console.Error.WriteLine("usage: " + ColdFloorMode + " <url> - <key> <user agent>");
                return 2;
            }
            string? error = FloorOnce(args[1], Token(), args[3], args[4]);
            return WriteTimings(mainTicks, t0, error);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static string? FloorOnce(string url, string token, string key, string userAgent)
        {
            try
            {
                using var floor = new FloorSide(url, userAgent, 3);
                floor.ForgetAsync(token, key).GetAwaiter().GetResult();
                return null;
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is System.Net.Http.HttpRequestException)
            {
                return ex.Message;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static string? ForgetOnce(string url, string token, string key)
        {
            try
            {
                // Exactly CognitoDeviceCmdletBase.CreateSession for the token path, then one ForgetDevice.
                CognitoSettings settings = CognitoSettings.Load(url, null, Environment.GetEnvironmentVariable,
                    Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
                var session = new DeviceSession(settings, ModuleRuntime.CreateClient(settings), token,
                    () => throw new InvalidOperationException("token path only"));
                session.ForgetDeviceAsync(new DeviceTarget(key, null, null), null, CancellationToken.None).GetAwaiter().GetResult();
                return null;
            }
            catch (CognitoDeviceException ex)
            {
                return ex.ErrorCode + ": " + ex.Message;
            }
        }

        /// <summary>
        /// --quota-child URL - KEY (token in COGNITODEVICE_BENCH_TOKEN)S_FILE TIMEOUT_SECONDS: removes every key of the file sequentially through the
        /// module's token path, with the settings a runbook would set (AWS_MAX_ATTEMPTS, AWS_RETRY_MODE in the
        /// environment), and counts outcomes the way the cmdlet reports them: one error record per failed device.
        /// </summary>
        public static int Quota(string[] args)
        {
            if (args.Length != 5)
            {
                Console.Error.WriteLine("usage: " + QuotaMode + " <url> - <keys file> <timeout seconds>");
                return 2;
            }
            string[] keys = File.ReadAllLines(args[3]).Where(l => l.Length > 0).ToArray();
            int timeoutSeconds = int.Parse(args[4], CultureInfo.InvariantCulture);
            string json = QuotaRun(args[1], Token(), keys, TimeSpan.FromSeconds(timeoutSeconds)).GetAwaiter().GetResult();
            Console.Out.Write(json + "\n");
            return 0;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static async Task<string> QuotaRun(string url, string token, string[] keys, TimeSpan timeout)
        {
            CognitoSettings settings = CognitoSettings.Load(url, null, Environment.GetEnvironmentVariable,
                Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
            CognitoClient client = ModuleRuntime.CreateClient(settings);
            var session = new DeviceSession(settings, client, token, () => throw new InvalidOperationException("token path only"));

            var errors = new SortedDictionary<string, int>(StringComparer.Ordinal);
            int removed = 0, attempted = 0, interrupted = 0, retries = 0, quotaRefusals = 0;
            double? firstQuotaRefusalS = null, firstErrorS = null;
            var clock = Stopwatch.StartNew();
            void Verbose(string message)
            {
                // The cmdlet's -Verbose stream: one line per retry, and one when the retry quota refuses a retry.
                if (message.Contains("; retrying in ", StringComparison.Ordinal)) retries++;
                if (message.Contains("the retry quota is used up", StringComparison.Ordinal))
                {
                    quotaRefusals++;
                    firstQuotaRefusalS ??= clock.Elapsed.TotalSeconds;
                }
            }

            using var cts = new CancellationTokenSource(timeout);
            foreach (string key in keys)
            {
                if (cts.IsCancellationRequested) break;
                attempted++;
                try
                {
                    await session.ForgetDeviceAsync(new DeviceTarget(key, null, null), Verbose, cts.Token).ConfigureAwait(false);
                    removed++;
                }
                catch (CognitoDeviceException ex)
                {
                    errors[ex.ErrorCode] = errors.TryGetValue(ex.ErrorCode, out int c) ? c + 1 : 1;
                    firstErrorS ??= clock.Elapsed.TotalSeconds;
                }
                catch (OperationCanceledException) when (cts.IsCancellationRequested)
                {
                    interrupted++;
                    break;
                }
            }
            double wallS = clock.Elapsed.TotalSeconds;
            var result = new Dictionary<string, object?>
            {
                ["maxAttempts"] = client.Retry.MaxAttempts,
                ["adaptive"] = client.Pacer is not null,
                ["devices"] = keys.Length,
                ["attempted"] = attempted,
                ["removed"] = removed,
                ["errors"] = errors,
                ["interruptedByTimeout"] = interrupted,
                ["notAttempted"] = keys.Length - attempted,
                ["wallSeconds"] = wallS,
                ["retries"] = retries,
                ["retryQuotaRefusals"] = quotaRefusals,
                ["firstRetryQuotaRefusalSeconds"] = firstQuotaRefusalS,
                ["firstErrorSeconds"] = firstErrorS,
                ["retryQuotaLeft"] = client.Retry.Quota.Available,
                ["pacerRateAtEnd"] = (client.Pacer as AdaptivePacer)?.CurrentRate,
                ["timedOut"] = cts.IsCancellationRequested,
            };
            return System.Text.Json.JsonSerializer.Serialize(result);
        }
    }
}
