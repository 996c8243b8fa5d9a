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
    internal static class ColdStartBench
    {
        private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(60);

        /// <summary>
        /// Process start to first completed ForgetDevice: `dotnet CognitoDevice.Bench.dll --cold-start-child URL - KEY`
        /// against the running endpoint, <see cref="BenchOptions.ColdRuns"/> times, plus a no-op child for the runtime's own share.
        /// </summary>
        public static async Task<ColdStartResults> RunColdStartAsync(LocalCognito cognito, BenchOptions options)
        {
            string url = LocalEndpoint.UrlText(cognito);
            UserPool pool = cognito.State.CreatePool("us-east-1");
            PoolUser user = cognito.State.CreateUser(pool, "coldstart");
            string token = cognito.State.IssueAccessToken(user, TimeSpan.FromHours(4));
            var results = new ColdStartResults { DotnetHost = ChildProcess.DotnetHost, BenchDll = ChildProcess.BenchDll };

            Log.Info($"Cold start: {options.ColdRuns} no-op children and {options.ColdRuns} ForgetDevice children.");
            // One untimed start of each first, so every timed start finds the files in the OS page cache alike.
            await ChildProcess.RunAsync(new[] { Children.NoopMode }, null, ChildTimeout).ConfigureAwait(false);
            {
                string key = cognito.State.SeedDevices(user, 1, seed: 900).Single().DeviceKey;
                ChildResult warm = await ChildProcess.RunAsync(new[] { Children.ColdStartMode, url, "-", key }, null, ChildTimeout, token: token).ConfigureAwait(false);
                if (warm.ExitCode != 0) results.Problems.Add("untimed cold-start child failed: " + ChildProcess.Tail(warm.StdErr + warm.StdOut));
            }

            string userAgent = ModuleUserAgent();
            for (int i = 0; i < options.ColdRuns; i++)
            {
                ChildResult noop = await ChildProcess.RunAsync(new[] { Children.NoopMode }, null, ChildTimeout).ConfigureAwait(false);
                results.Noop.Add(Read(noop, $"no-op run {i + 1}", results.Problems));

                string floorKey = cognito.State.SeedDevices(user, 1, seed: 950 + i).Single().DeviceKey;
                ChildResult floorChild = await ChildProcess.RunAsync(new[] { Children.ColdFloorMode, url, "-", floorKey, userAgent }, null, ChildTimeout, token: token).ConfigureAwait(false);
                ColdRun floorRun = Read(floorChild, $"floor cold-start run {i + 1}", results.Problems);
                floorRun.DeviceGone = cognito.State.FindDevice(user, floorKey) is null;
                if (!floorRun.DeviceGone) results.Problems.Add($"floor cold-start run {i + 1}: device {floorKey} still exists.");
                results.Floor.Add(floorRun);

                string key = cognito.State.SeedDevices(user, 1, seed: 901 + i).Single().DeviceKey;
                ChildResult child = await ChildProcess.RunAsync(new[] { Children.ColdStartMode, url, "-", key }, null, ChildTimeout, token: token).ConfigureAwait(false);
                ColdRun run = Read(child, $"cold-start run {i + 1}", results.Problems);
                run.DeviceGone = cognito.State.FindDevice(user, key) is null;
                if (!run.DeviceGone) results.Problems.Add($"cold-start run {i + 1}: device {key} still exists.");
                results.Runs.Add(run);
                Log.Info(string.Format(CultureInfo.InvariantCulture,
                    "Cold start {0}: module start→forgotten {1:0} ms (start→Main {2:0}, Main→forgotten {3:0}); plain HttpClient start→answer {4:0} ms (Main→answer {5:0}); no-op start→exit {6:0} ms",
                    i + 1, run.StartToForgottenMs, run.StartToMainMs, run.MainToForgottenMs, floorRun.StartToForgottenMs, floorRun.MainToForgottenMs, results.Noop[^1].StartToExitMs));
            }

            results.MedianFloorStartToForgottenMs = Stats.Median(results.Floor.Select(r => r.StartToForgottenMs));
            results.MedianFloorMainToForgottenMs = Stats.Median(results.Floor.Select(r => r.MainToForgottenMs));
            results.MedianFloorStartToExitMs = Stats.Median(results.Floor.Select(r => r.StartToExitMs));
            results.MedianStartToExitMs = Stats.Median(results.Runs.Select(r => r.StartToExitMs));
            results.MedianStartToMainMs = Stats.Median(results.Runs.Select(r => r.StartToMainMs));
            results.MedianMainToForgottenMs = Stats.Median(results.Runs.Select(r => r.MainToForgottenMs));
            results.MedianStartToForgottenMs = Stats.Median(results.Runs.Select(r => r.StartToForgottenMs));
            results.MedianNoopStartToExitMs = Stats.Median(results.Noop.Select(r => r.StartToExitMs));
            results.MedianNoopStartToMainMs = Stats.Median(results.Noop.Select(r => r.StartToMainMs));
            results.AllChecksPassed = results.Problems.Count == 0;
            return results;
        }

        private static ColdRun Read(ChildResult child, string what, List<string> problems)
        {
            var run = new ColdRun { StartToExitMs = child.StartToExitMs, ExitCode = child.ExitCode };
            try
            {
                using JsonDocument doc = JsonDocument.Parse(ChildProcess.ResultLine(child));
                JsonElement r = doc.RootElement;
                run.StartToMainMs = (r.GetProperty("mainUtcTicks").GetInt64() - child.StartUtcTicks) / 10_000.0;
                if (r.TryGetProperty("doneUtcTicks", out JsonElement done))
                {
                    run.StartToForgottenMs = (done.GetInt64() - child.StartUtcTicks) / 10_000.0;
                    run.MainToForgottenMs = r.GetProperty("mainToDoneMs").GetDouble();
                }
                if (r.TryGetProperty("error", out JsonElement err) && err.ValueKind == JsonValueKind.String) problems.Add($"{what}: {err.GetString()}");
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is JsonException || ex is KeyNotFoundException)
            {
                problems.Add($"{what}: {ex.Message}");
            }
            if (child.ExitCode != 0) problems.Add($"{what}: exit code {child.ExitCode}.");
            return run;
        }

        /// <summary>The module's User-Agent, so the floor child sends the same bytes (read here: the child must not load the module).</summary>
        private static string ModuleUserAgent() => CognitoDevice.Runtime.ModuleRuntime.UserAgent;

        /// <summary>Assembly-load child, <see cref="BenchOptions.ColdRuns"/> times.</summary>
        public static async Task<AssemblyLoadResults> RunAssemblyLoadAsync(BenchOptions options)
        {
            string dir = RepoPaths.ModuleDirectory;
            var results = new AssemblyLoadResults { ModuleDirectory = dir };
            if (!File.Exists(Path.Combine(dir, "CognitoDevice.dll")))
            {
                results.Problems.Add("no module at " + dir + " (build the module first)");
                return results;
            }
            Log.Info($"Assembly load: {options.ColdRuns} children loading {dir}.");
            IReadOnlyList<string> hostArgs = ChildProcess.HostArgsWithoutModule();
            results.HostArguments = string.Join(" ", hostArgs);
            await ChildProcess.RunAsync(new[] { Children.LoadMode, dir }, null, ChildTimeout, hostArgs).ConfigureAwait(false); // untimed, page cache
            var perType = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            for (int i = 0; i < options.ColdRuns; i++)
            {
                ChildResult child = await ChildProcess.RunAsync(new[] { Children.LoadMode, dir }, null, ChildTimeout, hostArgs).ConfigureAwait(false);
                try
                {
                    using JsonDocument doc = JsonDocument.Parse(ChildProcess.ResultLine(child));
                    JsonElement r = doc.RootElement;
                    var run = new LoadRun
                    {
                        ModuleLoadMs = r.GetProperty("moduleLoadMs").GetDouble(),
                        TokenTypesMs = r.GetProperty("tokenTypesMs").GetDouble(),
                        TokenPathMs = r.GetProperty("tokenPathMs").GetDouble(),
                        SdkLoadMs = r.GetProperty("sdkLoadMs").GetDouble(),
                        AdminTypesMs = r.GetProperty("adminTypesMs").GetDouble(),
                        AdminPathMs = r.GetProperty("adminPathMs").GetDouble(),
                        StartToExitMs = child.StartToExitMs,
                    };
                    results.Runs.Add(run);
                    foreach (JsonProperty t in r.GetProperty("perTypeMs").EnumerateObject())
                    {
                        if (!perType.TryGetValue(t.Name, out List<double>? list)) perType[t.Name] = list = new List<double>();
                        list.Add(t.Value.GetDouble());
                    }
                    if (i == 0)
                    {
                        results.ModuleLocation = r.GetProperty("moduleLocation").GetString() ?? "";
                        results.SdkLocation = r.GetProperty("sdkLocation").GetString() ?? "";
                        results.SdkLoadedOnTokenPath = r.GetProperty("sdkLoadedOnTokenPath").GetBoolean();
                        results.TokenPathAssemblies = r.GetProperty("tokenPathAssemblies").EnumerateArray().Select(e => e.GetString() ?? "").ToList();
                        results.AdminPathAssemblies = r.GetProperty("adminPathAssemblies").EnumerateArray().Select(e => e.GetString() ?? "").ToList();
                    }
                    Log.Info(string.Format(CultureInfo.InvariantCulture, "Assembly load {0}: module {1:0.0} ms + token types {2:0.0} ms; AWSSDK.Core {3:0.0} ms + admin types {4:0.0} ms",
                        i + 1, run.ModuleLoadMs, run.TokenTypesMs, run.SdkLoadMs, run.AdminTypesMs));
                }
                catch (Exception ex) when (ex is InvalidOperationException || ex is JsonException || ex is KeyNotFoundException)
                {
                    results.Problems.Add($"assembly-load run {i + 1}: {ex.Message}");
                }
            }
            results.MedianPerTypeMs = perType.Select(kv => new KeyValuePair<string, double>(kv.Key, Stats.Median(kv.Value)))
                .OrderByDescending(kv => kv.Value).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            if (results.Runs.Count > 0)
            {
                results.MedianModuleLoadMs = Stats.Median(results.Runs.Select(r => r.ModuleLoadMs));
                results.MedianTokenTypesMs = Stats.Median(results.Runs.Select(r => r.TokenTypesMs));
                results.MedianTokenPathMs = Stats.Median(results.Runs.Select(r => r.TokenPathMs));
                results.MedianSdkLoadMs = Stats.Median(results.Runs.Select(r => r.SdkLoadMs));
                results.MedianAdminTypesMs = Stats.Median(results.Runs.Select(r => r.AdminTypesMs));
                results.MedianAdminPathMs = Stats.Median(results.Runs.Select(r => r.AdminPathMs));
            }
            if (!results.ModuleLocation.StartsWith(dir, StringComparison.Ordinal)) results.Problems.Add("CognitoDevice.dll was not loaded from the module folder: " + results.ModuleLocation);
            if (!results.SdkLocation.StartsWith(dir, StringComparison.Ordinal)) results.Problems.Add("AWSSDK.Core.dll was not loaded from the module folder: " + results.SdkLocation);
            if (results.SdkLoadedOnTokenPath) results.Problems.Add("AWSSDK.Core was loaded by the token-path types.");
            results.AllChecksPassed = results.Problems.Count == 0;
            return results;
        }
    }
}
