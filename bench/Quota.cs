using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint;

namespace CognitoDevice.Bench
{
    /// <summary>
    /// Living within the quota: the endpoint allows <see cref="BenchOptions.QuotaRps"/> requests per second
    /// (account-wide token bucket, burst = ceil(rps)); each scenario removes <see cref="BenchOptions.QuotaDevices"/>
    /// devices sequentially through the module in a fresh child process (a fresh PowerShell session: the module's
    /// retry quota and adaptive pacer live as long as the module, so scenarios must not share them).
    /// </summary>
    internal static class QuotaBench
    {
        public const string DotNetClient = ".NET client";
        public const string PwshCmdlet = "cmdlet in pwsh";

        public static async Task<QuotaResults> RunAsync(BenchOptions options, PwshInstall? pwsh)
        {
            await using LocalCognito cognito = await LocalEndpoint.StartAsync(options.QuotaRps).ConfigureAwait(false);
            string url = LocalEndpoint.UrlText(cognito);
            UserPool pool = cognito.State.CreatePool("us-east-1");
            var results = new QuotaResults
            {
                RequestsPerSecond = options.QuotaRps,
                Devices = options.QuotaDevices,
                IdealSeconds = options.QuotaDevices / options.QuotaRps,
                EndpointUrl = url,
            };
            Log.Info($"Quota: endpoint at {url} limited to {options.QuotaRps} requests/s; {options.QuotaDevices} devices per scenario (ideal {results.IdealSeconds:0.0} s).");

            int index = 0;
            // The .NET client first (the module's own layer), then the same through the cmdlet in a fresh pwsh.
            foreach (PwshInstall? client in pwsh is null ? new PwshInstall?[] { null } : new PwshInstall?[] { null, pwsh })
            {
                foreach (string mode in new[] { "standard", "adaptive" })
                {
                    QuotaScenario first = await RunScenarioAsync(cognito, pool, options, mode, 3, ++index, url, client).ConfigureAwait(false);
                    results.Scenarios.Add(first);
                    if (first.Lost > 0 || options.QuotaAllVariants)
                    {
                        // What a runbook would need: the same mode with AWS_MAX_ATTEMPTS=10.
                        results.Scenarios.Add(await RunScenarioAsync(cognito, pool, options, mode, 10, ++index, url, client).ConfigureAwait(false));
                    }
                }
            }
            results.AllChecksPassed = results.Scenarios.All(s => s.AccountingExact);
            return results;
        }

        private static async Task<QuotaScenario> RunScenarioAsync(LocalCognito cognito, UserPool pool, BenchOptions options, string mode, int maxAttempts,
            int index, string url, PwshInstall? pwsh)
        {
            int n = options.QuotaDevices;
            PoolUser user = cognito.State.CreateUser(pool, "quota" + index.ToString("D3", CultureInfo.InvariantCulture));
            string token = cognito.State.IssueAccessToken(user, TimeSpan.FromHours(4));
            string[] keys = cognito.State.SeedDevices(user, n, seed: 5000 + index).Select(d => d.DeviceKey).ToArray();
            string keysFile = Path.Combine(BenchEnvironment.EmptyHome, "quota-keys-" + index.ToString(CultureInfo.InvariantCulture) + ".txt");
            File.WriteAllLines(keysFile, keys);

            var env = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["AWS_RETRY_MODE"] = mode,
                ["AWS_MAX_ATTEMPTS"] = maxAttempts.ToString(CultureInfo.InvariantCulture),
            };
            var scenario = new QuotaScenario
            {
                Client = pwsh is null ? DotNetClient : PwshCmdlet,
                Mode = mode,
                MaxAttempts = maxAttempts,
                Devices = n,
                Environment = env.Select(kv => kv.Key + "=" + kv.Value).ToList(),
            };
            Log.Info($"Quota scenario {index} ({scenario.Client}): AWS_RETRY_MODE={mode} AWS_MAX_ATTEMPTS={maxAttempts}, {n} devices ...");

            // Let the endpoint's bucket fill up again after the previous scenario, then record every request.
            await Task.Delay(1500).ConfigureAwait(false);
            cognito.Requests.Clear();
            cognito.Requests.Capacity = Math.Max(10_000, n * 25);
            cognito.Requests.Enabled = true;
            ChildResult child;
            try
            {
                child = pwsh is null
                    ? await ChildProcess.RunAsync(
                        new[] { Children.QuotaMode, url, "-", keysFile, options.QuotaTimeoutSeconds.ToString(CultureInfo.InvariantCulture) },
                        env, TimeSpan.FromSeconds(options.QuotaTimeoutSeconds + 60), token: token).ConfigureAwait(false)
                    : await ChildProcess.RunDotnetAsync(
                        new[] { pwsh.PwshDll, "-NoProfile", "-NonInteractive", "-File", Path.Combine(RepoPaths.Root, "bench", "pwsh", "Quota.ps1"),
                            "-ModuleManifest", PwshBench.Manifest, "-Url", url, "-KeysFile", keysFile },
                        PwshBench.ChildEnvironment(env, paced: true), TimeSpan.FromSeconds(options.QuotaTimeoutSeconds), token).ConfigureAwait(false);
            }
            finally
            {
                cognito.Requests.Enabled = false;
            }
            IReadOnlyList<RecordedRequest> log = cognito.Requests.Snapshot();
            cognito.Requests.Clear();
            File.Delete(keysFile);

            scenario.ChildExitCode = child.ExitCode;
            scenario.ChildStartToExitSeconds = child.StartToExitMs / 1000;
            scenario.TotalRequests = log.Count;
            scenario.SuccessfulRequests = log.Count(r => r.StatusCode == 200);
            scenario.ThrottledResponses = log.Count(r => r.ErrorCode == "TooManyRequestsException");
            scenario.OtherFailedRequests = scenario.TotalRequests - scenario.SuccessfulRequests - scenario.ThrottledResponses;
            scenario.ConnectionsUsed = log.Select(r => r.ConnectionId).Distinct().Count();
            scenario.DevicesLeft = cognito.State.Devices(user).Count;
            scenario.RemovedPerState = n - scenario.DevicesLeft;
            if (log.Count > 1)
            {
                scenario.RequestSpanSeconds = (log[^1].UtcTime - log[0].UtcTime).TotalSeconds;
            }

            if (pwsh is not null)
            {
                ReadPwshResult(scenario, child, log);
            }
            else
            try
            {
                using JsonDocument doc = JsonDocument.Parse(ChildProcess.ResultLine(child));
                JsonElement r = doc.RootElement;
                scenario.WallSeconds = r.GetProperty("wallSeconds").GetDouble();
                scenario.Removed = r.GetProperty("removed").GetInt32();
                scenario.ErrorsByCode = r.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal);
                scenario.ErrorRecords = scenario.ErrorsByCode.Values.Sum();
                scenario.InterruptedByTimeout = r.GetProperty("interruptedByTimeout").GetInt32();
                scenario.NotAttempted = r.GetProperty("notAttempted").GetInt32();
                scenario.Retries = r.GetProperty("retries").GetInt32();
                scenario.RetryQuotaRefusals = r.GetProperty("retryQuotaRefusals").GetInt32();
                scenario.FirstRetryQuotaRefusalSeconds = r.GetProperty("firstRetryQuotaRefusalSeconds") is { ValueKind: JsonValueKind.Number } q ? q.GetDouble() : null;
                scenario.FirstErrorSeconds = r.GetProperty("firstErrorSeconds") is { ValueKind: JsonValueKind.Number } f ? f.GetDouble() : null;
                scenario.RetryQuotaLeft = r.GetProperty("retryQuotaLeft").GetInt32();
                scenario.PacerRateAtEnd = r.GetProperty("pacerRateAtEnd") is { ValueKind: JsonValueKind.Number } p ? p.GetDouble() : null;
                scenario.TimedOut = r.GetProperty("timedOut").GetBoolean();
                scenario.EffectiveMaxAttempts = r.GetProperty("maxAttempts").GetInt32();
                scenario.EffectiveAdaptive = r.GetProperty("adaptive").GetBoolean();
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is JsonException || ex is KeyNotFoundException)
            {
                scenario.Problems.Add("child result unreadable: " + ex.Message);
            }

            // Exact account: every device is removed, an error record, interrupted or not attempted; and the
            // module's "removed" agrees with what the endpoint's state says.
            int accounted = scenario.Removed + scenario.ErrorRecords + scenario.InterruptedByTimeout + scenario.NotAttempted;
            if (accounted != n) scenario.Problems.Add($"account: removed {scenario.Removed} + errors {scenario.ErrorRecords} + interrupted {scenario.InterruptedByTimeout} + not attempted {scenario.NotAttempted} = {accounted}, not {n}.");
            if (scenario.Removed != scenario.RemovedPerState) scenario.Problems.Add($"module says {scenario.Removed} removed, the endpoint's state says {scenario.RemovedPerState}.");
            if (scenario.SuccessfulRequests != scenario.RemovedPerState) scenario.Problems.Add($"{scenario.SuccessfulRequests} successful requests for {scenario.RemovedPerState} removed devices.");
            if (scenario.EffectiveMaxAttempts != maxAttempts || scenario.EffectiveAdaptive != (mode == "adaptive")) scenario.Problems.Add("the child did not pick up the retry settings.");
            if (child.ExitCode != 0) scenario.Problems.Add("child exit code " + child.ExitCode.ToString(CultureInfo.InvariantCulture) + ": " + ChildProcess.Tail(child.StdErr));
            scenario.AccountingExact = scenario.Problems.Count == 0;
            scenario.Lost = n - scenario.RemovedPerState;

            Log.Info(string.Format(CultureInfo.InvariantCulture,
                "Quota scenario {0}: {1}/{2}: {3:0.0} s, removed {4} (state: {5} left), errors {6} [{7}], {8} requests, {9} throttled, {10} retries, retry-quota refusals {11}{12}",
                index, mode, maxAttempts, scenario.WallSeconds, scenario.Removed, scenario.DevicesLeft, scenario.ErrorRecords,
                string.Join(", ", scenario.ErrorsByCode.Select(kv => kv.Key + " " + kv.Value)), scenario.TotalRequests, scenario.ThrottledResponses,
                scenario.Retries, scenario.RetryQuotaRefusals, scenario.AccountingExact ? "" : "; PROBLEMS: " + string.Join(" ", scenario.Problems)));
            return scenario;
        }

        /// <summary>
        /// The pwsh child's line (bench/pwsh/Quota.ps1). The retry settings the module used are read from the wire:
        /// every request says `amz-sdk-request: attempt=i; max=N`; adaptive mode has no wire sign of its own.
        /// </summary>
        private static void ReadPwshResult(QuotaScenario scenario, ChildResult child, IReadOnlyList<RecordedRequest> log)
        {
            try
            {
                string? line = child.StdOut.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("BENCH:", StringComparison.Ordinal));
                if (line is null) throw new InvalidOperationException("the pwsh child printed no result (exit " + child.ExitCode.ToString(CultureInfo.InvariantCulture) + "): " + ChildProcess.Tail(child.StdErr + child.StdOut));
                using JsonDocument doc = JsonDocument.Parse(line.Substring(6));
                JsonElement r = doc.RootElement;
                scenario.WallSeconds = r.GetProperty("wallSeconds").GetDouble();
                scenario.Removed = r.GetProperty("removed").GetInt32();
                scenario.ErrorsByCode = r.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal);
                scenario.ErrorRecords = scenario.ErrorsByCode.Values.Sum();
                scenario.NotAttempted = r.GetProperty("notAttempted").GetInt32();
                scenario.Retries = r.GetProperty("retries").GetInt32();
                scenario.RetryQuotaRefusals = r.GetProperty("retryQuotaRefusals").GetInt32();
                scenario.FirstRetryQuotaRefusalSeconds = r.GetProperty("firstRetryQuotaRefusalSeconds") is { ValueKind: JsonValueKind.Number } q ? q.GetDouble() : null;
                scenario.TimedOut = child.TimedOut;
                string? sdkRequest = log.Count > 0 && log[0].Headers.TryGetValue("amz-sdk-request", out string? h) ? h : null;
                int max = sdkRequest is not null && sdkRequest.LastIndexOf("max=", StringComparison.Ordinal) is int at and >= 0
                    && int.TryParse(sdkRequest.Substring(at + 4).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int m) ? m : 0;
                scenario.EffectiveMaxAttempts = max;
                scenario.EffectiveAdaptive = scenario.Mode == "adaptive";
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is JsonException || ex is KeyNotFoundException)
            {
                scenario.Problems.Add("child result unreadable: " + ex.Message);
            }
        }
    }
}
