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
    /// <summary>The pinned PowerShell (dotnet-tools.json): `dotnet &lt;PSHOME&gt;/pwsh.dll`, as Get-PowerShellExecutable starts a child.</summary>
    internal sealed class PwshInstall
    {
        public string PsHome { get; init; } = "";

        public string PwshDll => Path.Combine(PsHome, "pwsh.dll");

        public string Version { get; init; } = "";

        /// <summary>Runs `dotnet tool run pwsh` once in the repository (the local tool must be restored: `dotnet tool restore`).</summary>
        public static async Task<(PwshInstall? Install, string? Problem)> LocateAsync()
        {
            string? home = Environment.GetEnvironmentVariable("HOME");
            ChildResult r = await ChildProcess.RunDotnetAsync(
                new[] { "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-Command", "[Console]::Out.Write($PSHOME + '|' + $PSVersionTable.PSVersion)" },
                // The real HOME here: the local tool is found through the NuGet packages folder under it.
                PwshBench.ChildEnvironment(home is null ? null : new Dictionary<string, string> { ["HOME"] = home }), TimeSpan.FromSeconds(120)).ConfigureAwait(false);
            string text = r.StdOut.Trim();
            int bar = text.LastIndexOf('|');
            if (r.ExitCode != 0 || bar <= 0)
            {
                return (null, "`dotnet tool run pwsh` failed (run `dotnet tool restore` in the repository): exit " + r.ExitCode.ToString(CultureInfo.InvariantCulture)
                    + " " + ChildProcess.Tail(r.StdErr + r.StdOut, 500));
            }
            var install = new PwshInstall { PsHome = text.Substring(0, bar), Version = text.Substring(bar + 1) };
            if (!File.Exists(install.PwshDll)) return (null, "no pwsh.dll in " + install.PsHome);
            return (install, null);
        }
    }

    /// <summary>
    /// Part 4: the cmdlets as users run them, in the pinned pwsh, against the same in-process endpoint as the floor,
    /// interleaved round by round. See bench/README.md ("4. In PowerShell").
    /// </summary>
    internal static class PwshBench
    {
        public const string Pipeline = "pipeline";
        public const string Array = "array";
        public const string Foreach = "foreach";
        public const string Admin = "admin";
        public const string WhatIf = "whatif";

        private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(300);
        private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(120);

        /// <summary>The scenarios timed against the floor, with the issue's targets (ratio to the floor's wall time).</summary>
        public static readonly (string Name, string Command, double? Target)[] Scenarios =
        {
            (Pipeline, "`$keys | Remove-CognitoDevice -AccessToken $t -Confirm:$false`", 1.5),
            (Array, "`Remove-CognitoDevice -DeviceKey $keys -AccessToken $t -Confirm:$false` (one call, an array)", null),
            (Foreach, "`foreach ($k in $keys) { Remove-CognitoDevice -DeviceKey $k -AccessToken $t -Confirm:$false }`", 3.0),
            (Admin, "`$keys | Remove-CognitoDevice -UserPoolId $p -Username $u -ProfileName cognito-local -Confirm:$false` (SigV4)", 2.0),
            (WhatIf, "`$keys | Remove-CognitoDevice -AccessToken $t -WhatIf` (no HTTP: PowerShell and the cmdlet only)", null),
        };

        public const double CpuTarget = 2.0;
        public const double ListingTarget = 1.5;
        public const double ImportTargetMs = 150;

        /// <summary>
        /// The module's quota pacing (COGNITODEVICE_QUOTA_*), turned off for the scenarios that measure what the module
        /// costs beside the floor: pacing to Cognito's 25 writes a second is a deliberate wait, not overhead. The quota
        /// runs keep the module's defaults, as a user gets them.
        /// </summary>
        public static readonly IReadOnlyDictionary<string, string> Unpaced = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["COGNITODEVICE_QUOTA_USERLIST"] = "0",
            ["COGNITODEVICE_QUOTA_USERPOOLREAD"] = "0",
            ["COGNITODEVICE_QUOTA_USERRESOURCEREAD"] = "0",
            ["COGNITODEVICE_QUOTA_USERRESOURCEUPDATE"] = "0",
            ["COGNITODEVICE_QUOTA_PERUSERREAD"] = "0",
            ["COGNITODEVICE_QUOTA_PERUSERWRITE"] = "0",
        };

        /// <summary>The child environment for every pwsh: local fake credentials only, no telemetry or update check, loopback never proxied.</summary>
        public static Dictionary<string, string> ChildEnvironment(IReadOnlyDictionary<string, string>? extra, bool paced = false)
        {
            string configFile = Path.Combine(BenchEnvironment.EmptyHome, "aws-config-empty");
            if (!File.Exists(configFile)) File.WriteAllText(configFile, "");
            var env = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(RepoPaths.Root, "tests", "CognitoDevice.LocalEndpoint", "local-credentials"),
                ["AWS_CONFIG_FILE"] = configFile,
                ["POWERSHELL_TELEMETRY_OPTOUT"] = "1",
                ["POWERSHELL_UPDATECHECK"] = "Off",
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
                ["NO_PROXY"] = "127.0.0.1,localhost,::1",
                ["no_proxy"] = "127.0.0.1,localhost,::1",
            };
            if (!paced)
            {
                foreach (KeyValuePair<string, string> kv in Unpaced) env[kv.Key] = kv.Value;
            }
            if (extra is not null)
            {
                foreach (KeyValuePair<string, string> kv in extra) env[kv.Key] = kv.Value;
            }
            return env;
        }

        public static string Manifest => Path.Combine(RepoPaths.ModuleDirectory, "CognitoDevice.psd1");

        public static async Task<PwshResults> RunAsync(LocalCognito cognito, BenchOptions options, PwshInstall pwsh)
        {
            string url = LocalEndpoint.UrlText(cognito);
            var results = new PwshResults
            {
                PowerShellVersion = pwsh.Version,
                PsHome = pwsh.PsHome,
                Manifest = Manifest,
                DevicesPerScenario = options.PwshDevices,
                Rounds = options.PwshRounds,
                EndpointUrl = url,
            };
            if (!File.Exists(Manifest))
            {
                results.Problems.Add("the module is not built: " + Manifest + " is missing (dotnet build src/CognitoDevice -c Release).");
                return results;
            }
            cognito.Requests.Enabled = false;
            UserPool pool = cognito.State.CreatePool("us-east-1");
            int users = 0;
            PoolUser NewUser() => cognito.State.CreateUser(pool, "pwsh" + (++users).ToString("D5", CultureInfo.InvariantCulture));
            int files = 0;
            string KeysFile(IEnumerable<string> keys)
            {
                string path = Path.Combine(BenchEnvironment.EmptyHome, "pwsh-keys-" + (++files).ToString(CultureInfo.InvariantCulture) + ".txt");
                File.WriteAllLines(path, keys);
                return path;
            }

            Log.Info($"PowerShell {pwsh.Version} ({pwsh.PwshDll}): starting the pwsh session and the floor process.");
            await using LineChild ps = LineChild.Start("pwsh session",
                new[] { pwsh.PwshDll, "-NoProfile", "-NonInteractive", "-File", Path.Combine(RepoPaths.Root, "bench", "pwsh", "BenchServer.ps1"), "-ModuleManifest", Manifest },
                ChildEnvironment(null));
            await using LineChild floor = LineChild.Start("floor process", new[] { ChildProcess.BenchDll, FloorServer.Mode, url, CognitoDevice.Runtime.ModuleRuntime.UserAgent }, ChildEnvironment(null));
            await ps.ReadAsync(ChildTimeout).ConfigureAwait(false);
            await floor.ReadAsync(ChildTimeout).ConfigureAwait(false);

            // One scenario run: fresh user, N seeded devices, the command, and a check that every device is gone.
            async Task<Run> RemoveRun(string scenario, int n, int seed)
            {
                PoolUser user = NewUser();
                string token = cognito.State.IssueAccessToken(user, TimeSpan.FromHours(4));
                string file = KeysFile(cognito.State.SeedDevices(user, n, seed).Select(d => d.DeviceKey));
                JsonElement a = scenario == "floor"
                    ? await floor.AskAsync(new { op = "forget", token, keysFile = file }, AnswerTimeout).ConfigureAwait(false)
                    : await ps.AskAsync(new { scenario, token, keysFile = file, url, poolId = pool.Id, username = user.Username, profile = LocalCredentials.ProfileName }, AnswerTimeout).ConfigureAwait(false);
                File.Delete(file);
                int left = cognito.State.Devices(user).Count;
                int expectedLeft = scenario == WhatIf ? n : 0;
                if (left != expectedLeft) results.Problems.Add($"{scenario}: {left} of {n} devices left after the run (expected {expectedLeft}).");
                return new Run { Scenario = scenario, Devices = n, WallMs = a.GetProperty("wallMs").GetDouble(), CpuMs = a.GetProperty("cpuMs").GetDouble() };
            }

            // Warm-up: every scenario twice on a smaller set, with pauses, so the tiered JIT of both processes settles.
            int warmN = Math.Min(300, options.PwshDevices);
            Log.Info($"PowerShell: warm-up, every scenario 3 × {warmN} devices.");
            for (int w = 0; w < 3; w++)
            {
                await RemoveRun("floor", warmN, 100 + w).ConfigureAwait(false);
                foreach (var s in Scenarios) await RemoveRun(s.Name, warmN, 200 + w).ConfigureAwait(false);
                await Task.Delay(300).ConfigureAwait(false);
            }

            // Rounds: floor, the scenarios (order rotates by round), floor again; a scenario's ratio is to the mean of
            // the two floor runs of its own round.
            int n = options.PwshDevices;
            for (int round = 0; round < options.PwshRounds; round++)
            {
                var r = new PwshRound { Index = round + 1 };
                r.FloorRuns.Add(await RemoveRun("floor", n, 1000 + round).ConfigureAwait(false));
                var order = Scenarios.Select(s => s.Name).ToList();
                for (int k = 0; k < round % order.Count; k++)
                {
                    order.Add(order[0]);
                    order.RemoveAt(0);
                }
                foreach (string s in order)
                {
                    Run run = await RemoveRun(s, n, 2000 + round).ConfigureAwait(false);
                    Run before = r.FloorRuns[^1];
                    Run after = await RemoveRun("floor", n, 3000 + round * 10 + r.Runs.Count).ConfigureAwait(false);
                    run.FloorWallMs = (before.WallMs + after.WallMs) / 2;
                    run.FloorCpuMs = (before.CpuMs + after.CpuMs) / 2;
                    r.Runs.Add(run);
                    r.FloorRuns.Add(after);
                }
                results.RoundData.Add(r);
                Log.Info($"PowerShell round {round + 1}: floor {r.FloorMsPerDevice:0.000} ms/device; "
                    + string.Join(", ", r.Runs.Select(x => $"{x.Scenario} {x.MsPerDevice:0.000} ({x.Ratio:0.00}×)")));
            }
            Summarize(results);

            await ListingAsync(cognito, options, results, ps, floor, NewUser, url).ConfigureAwait(false);
            return results;
        }

        private static void Summarize(PwshResults results)
        {
            results.Floor = new ScenarioSummary
            {
                Name = "floor",
                Command = "plain HttpClient loop, warmed, its own process (byte-identical ForgetDevice requests)",
                MsPerDevice = Stats.Median(results.RoundData.Select(r => r.FloorMsPerDevice)),
                CpuMsPerDevice = Stats.Median(results.RoundData.Select(r => r.FloorCpuMsPerDevice)),
            };
            foreach (var (name, command, target) in Scenarios)
            {
                var runs = results.RoundData.Select(r => r.Runs.Single(x => x.Scenario == name)).ToList();
                var s = new ScenarioSummary
                {
                    Name = name,
                    Command = command,
                    MsPerDevice = Stats.Median(runs.Select(x => x.MsPerDevice)),
                    CpuMsPerDevice = Stats.Median(runs.Select(x => x.CpuMsPerDevice)),
                    RoundRatios = runs.Select(x => x.Ratio).ToList(),
                    CpuRatio = Stats.Median(runs.Select(x => x.CpuRatio)),
                    Target = target,
                };
                s.Ratio = Stats.Median(s.RoundRatios);
                if (name == WhatIf)
                {
                    s.Ratio = double.NaN;
                    s.RoundRatios.Clear();
                }
                results.ScenarioSummaries.Add(s);
            }
        }

        private static async Task ListingAsync(LocalCognito cognito, BenchOptions options, PwshResults results, LineChild ps, LineChild floor,
            Func<PoolUser> newUser, string url)
        {
            var users = new List<(int Size, PoolUser User, string Token)>();
            foreach (int size in options.PwshListSizes)
            {
                PoolUser user = newUser();
                cognito.State.SeedDevices(user, size, seed: 4000 + size);
                users.Add((size, user, cognito.State.IssueAccessToken(user, TimeSpan.FromHours(4))));
            }
            cognito.Requests.Capacity = Math.Max(cognito.Requests.Capacity, 10_000);
            Log.Info($"PowerShell: listing {string.Join(" and ", options.PwshListSizes)} devices, {options.PwshListRounds} rounds, interleaved with the floor.");

            async Task<(JsonElement Answer, int Requests)> Logged(Func<Task<JsonElement>> run)
            {
                cognito.Requests.Clear();
                cognito.Requests.Enabled = true;
                try
                {
                    JsonElement a = await run().ConfigureAwait(false);
                    // The endpoint logs a request once its answer is complete, which can be just after the client
                    // has read it: let the last entry land before counting.
                    await Task.Delay(200).ConfigureAwait(false);
                    return (a, cognito.Requests.Snapshot().Count(x => x.Operation == "ListDevices"));
                }
                finally
                {
                    cognito.Requests.Enabled = false;
                    cognito.Requests.Clear();
                }
            }

            // Warm-up of both sides on the smallest listing.
            var smallest = users[0];
            for (int w = 0; w < 3; w++)
            {
                await floor.AskAsync(new { op = "list", token = smallest.Token, limit = 60 }, AnswerTimeout).ConfigureAwait(false);
                await ps.AskAsync(new { scenario = "list", token = smallest.Token, url }, AnswerTimeout).ConfigureAwait(false);
            }
            await Task.Delay(300).ConfigureAwait(false);

            foreach (var (size, user, token) in users)
            {
                var summary = new ListingSummary { Devices = size };
                for (int round = 0; round < options.PwshListRounds; round++)
                {
                    bool floorFirst = round % 2 == 0;
                    for (int side = 0; side < 2; side++)
                    {
                        bool isFloor = (side == 0) == floorFirst;
                        var (a, requests) = await Logged(() => isFloor
                            ? floor.AskAsync(new { op = "list", token, limit = 60 }, AnswerTimeout)
                            : ps.AskAsync(new { scenario = "list", token, url }, AnswerTimeout)).ConfigureAwait(false);
                        int count = a.GetProperty("count").GetInt32();
                        if (isFloor && count != size) results.Problems.Add($"listing {size}: the floor saw {count} devices.");
                        var run = new ListRun
                        {
                            WallMs = a.GetProperty("wallMs").GetDouble(),
                            CpuMs = a.GetProperty("cpuMs").GetDouble(),
                            PeakMiB = a.GetProperty("peakKiB").GetInt64() / 1024.0,
                            PeakReset = a.GetProperty("peakReset").GetBoolean(),
                            Requests = requests,
                        };
                        (isFloor ? summary.FloorRuns : summary.PwshRuns).Add(run);
                    }
                }
                // Once more, counted in pwsh: every device reached the pipeline.
                var (counted, countedRequests) = await Logged(() => ps.AskAsync(new { scenario = "listcount", token, url }, AnswerTimeout)).ConfigureAwait(false);
                int seen = counted.GetProperty("count").GetInt32();
                if (seen != size) results.Problems.Add($"listing {size}: Get-CognitoDevice | Measure-Object counted {seen} devices.");
                summary.MeasureObjectMs = counted.GetProperty("wallMs").GetDouble();
                summary.Pages = summary.PwshRuns[0].Requests;
                if (countedRequests != summary.Pages) results.Problems.Add($"listing {size}: {countedRequests} pages when counted, {summary.Pages} otherwise.");
                if (summary.PwshRuns.Concat(summary.FloorRuns).Any(x => x.Requests != summary.Pages))
                {
                    results.Problems.Add($"listing {size}: the cmdlet and the floor did not send the same number of pages.");
                }
                summary.FloorMs = Stats.Median(summary.FloorRuns.Select(x => x.WallMs));
                summary.PwshMs = Stats.Median(summary.PwshRuns.Select(x => x.WallMs));
                summary.Ratio = Stats.Median(summary.PwshRuns.Zip(summary.FloorRuns, (p, f) => p.WallMs / f.WallMs));
                summary.FloorPeakMiB = summary.FloorRuns.Max(x => x.PeakMiB);
                summary.PwshPeakMiB = summary.PwshRuns.Max(x => x.PeakMiB);
                results.Listing.Add(summary);
                Log.Info($"PowerShell listing {size}: {summary.Pages} pages; cmdlet {summary.PwshMs:0.0} ms, floor {summary.FloorMs:0.0} ms ({summary.Ratio:0.00}×); peak working set cmdlet {summary.PwshPeakMiB:0.0} MiB, floor {summary.FloorPeakMiB:0.0} MiB.");
            }
            if (results.Listing.Count >= 2)
            {
                // Between the two largest sizes: below some thousands of devices the peak still grows with the garbage
                // a listing makes until the GC's first generation budget is reached (no device is kept).
                var sorted = results.Listing.OrderBy(x => x.Devices).ToList();
                ListingSummary lo = sorted[^2], hi = sorted[^1];
                results.PeakBytesPerExtraDevice = (hi.PwshPeakMiB - lo.PwshPeakMiB) * 1024 * 1024 / (hi.Devices - lo.Devices);
                results.PeakGrowthFrom = lo.Devices;
                results.PeakGrowthTo = hi.Devices;
            }

            // Select-Object -First 1 on the largest listing: one page, then the pipeline stops the cmdlet.
            var largest = users[^1];
            var (first, firstRequests) = await Logged(() => ps.AskAsync(new { scenario = "first", token = largest.Token, url }, AnswerTimeout)).ConfigureAwait(false);
            results.FirstOne = new FirstOneResult
            {
                Devices = largest.Size,
                WallMs = first.GetProperty("wallMs").GetDouble(),
                ListRequests = firstRequests,
                Returned = first.GetProperty("count").GetInt32(),
            };
            if (firstRequests != 1 || results.FirstOne.Returned != 1)
            {
                results.Problems.Add($"Select-Object -First 1 over {largest.Size} devices: {firstRequests} ListDevices requests and {results.FirstOne.Returned} objects (expected 1 and 1).");
            }
            Log.Info($"PowerShell: Select-Object -First 1 over {largest.Size} devices: {results.FirstOne.WallMs:0.0} ms, {firstRequests} ListDevices request(s).");
        }

        /// <summary>
        /// Fresh processes: a bare `pwsh -NoProfile` start against the same plus Import-Module (interleaved, ABBA),
        /// the assemblies import and the token path load, and the first ForgetDevice in a fresh pwsh.
        /// </summary>
        public static async Task<FreshResults> RunFreshAsync(LocalCognito cognito, BenchOptions options, PwshInstall pwsh)
        {
            var results = new FreshResults();
            string url = LocalEndpoint.UrlText(cognito);
            UserPool pool = cognito.State.CreatePool("us-east-1");
            PoolUser user = cognito.State.CreateUser(pool, "pwshfresh");
            string token = cognito.State.IssueAccessToken(user, TimeSpan.FromHours(4));
            string m = Lit(Manifest);
            string[] bare = { pwsh.PwshDll, "-NoProfile", "-NonInteractive", "-Command", "exit 0" };
            string[] import = { pwsh.PwshDll, "-NoProfile", "-NonInteractive", "-Command", $"Import-Module {m}; exit 0" };
            const string assemblies = "$loaded = @([System.Runtime.Loader.AssemblyLoadContext]::All | ForEach-Object { $_.Assemblies } | ForEach-Object { $_.GetName().Name });"
                + "$sdk = @($loaded | Where-Object { $_ -like 'AWSSDK*' });";
            string check = $"$c = [System.Diagnostics.Stopwatch]::StartNew(); Import-Module {m}; $ms = $c.Elapsed.TotalMilliseconds; {assemblies}"
                + "[Console]::Out.WriteLine('BENCH:' + (ConvertTo-Json -Compress -InputObject @{ importMs = $ms; sdk = ($sdk -join ','); count = $loaded.Count })); exit 0";
            string[] importCheck = { pwsh.PwshDll, "-NoProfile", "-NonInteractive", "-Command", check };
            string First(string key) =>
                "$t0 = [DateTime]::UtcNow.Ticks; $c = [System.Diagnostics.Stopwatch]::StartNew(); "
                + $"Import-Module {m}; $imported = $c.Elapsed.TotalMilliseconds; "
                + $"Remove-CognitoDevice -DeviceKey {Lit(key)} -AccessToken $env:{ChildProcess.TokenVariable} -EndpointUrl {Lit(url)} -Confirm:$false -ErrorAction Stop; "
                + "$done = [DateTime]::UtcNow.Ticks; $total = $c.Elapsed.TotalMilliseconds; " + assemblies
                + "[Console]::Out.WriteLine('BENCH:' + (ConvertTo-Json -Compress -InputObject @{ scriptStartTicks = $t0; doneTicks = $done; importMs = $imported; callMs = $total - $imported; sdk = ($sdk -join ',') })); exit 0";

            var env = ChildEnvironment(null);
            async Task<ChildResult> Start(string[] args, string? withToken = null)
            {
                ChildResult r = await ChildProcess.RunDotnetAsync(args, env, ChildTimeout, withToken).ConfigureAwait(false);
                if (r.ExitCode != 0) results.Problems.Add("a fresh pwsh failed (exit " + r.ExitCode.ToString(CultureInfo.InvariantCulture) + "): " + ChildProcess.Tail(r.StdErr + r.StdOut, 600));
                return r;
            }
            static JsonElement Answer(ChildResult r)
            {
                string? line = r.StdOut.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("BENCH:", StringComparison.Ordinal));
                if (line is null) throw new InvalidOperationException("the fresh pwsh printed no result: " + ChildProcess.Tail(r.StdErr + r.StdOut, 600));
                using JsonDocument doc = JsonDocument.Parse(line.Substring(6));
                return doc.RootElement.Clone();
            }

            Log.Info($"PowerShell fresh processes: {options.ColdRuns} runs of bare start, Import-Module, the import check and the first ForgetDevice.");
            // Untimed first: the page cache, and pwsh's own first-run files under the (empty) HOME.
            await Start(bare).ConfigureAwait(false);
            await Start(import).ConfigureAwait(false);
            for (int i = 0; i < options.ColdRuns; i++)
            {
                ChildResult a, b;
                if (i % 2 == 0)
                {
                    a = await Start(bare).ConfigureAwait(false);
                    b = await Start(import).ConfigureAwait(false);
                }
                else
                {
                    b = await Start(import).ConfigureAwait(false);
                    a = await Start(bare).ConfigureAwait(false);
                }
                results.BareMs.Add(a.StartToExitMs);
                results.ImportMs.Add(b.StartToExitMs);

                JsonElement c = Answer(await Start(importCheck).ConfigureAwait(false));
                results.ImportInProcessMs.Add(c.GetProperty("importMs").GetDouble());
                string sdkOnImport = c.GetProperty("sdk").GetString() ?? "";
                if (sdkOnImport.Length > 0) results.SdkLoadedByImport = sdkOnImport;

                string key = cognito.State.SeedDevices(user, 1, seed: 6000 + i).Single().DeviceKey;
                ChildResult f = await Start(new[] { pwsh.PwshDll, "-NoProfile", "-NonInteractive", "-Command", First(key) }, token).ConfigureAwait(false);
                JsonElement fa = Answer(f);
                results.FirstForgetStartToDoneMs.Add((fa.GetProperty("doneTicks").GetInt64() - f.StartUtcTicks) / 10_000.0);
                results.FirstForgetStartToScriptMs.Add((fa.GetProperty("scriptStartTicks").GetInt64() - f.StartUtcTicks) / 10_000.0);
                results.FirstForgetImportMs.Add(fa.GetProperty("importMs").GetDouble());
                results.FirstForgetCallMs.Add(fa.GetProperty("callMs").GetDouble());
                string sdkOnToken = fa.GetProperty("sdk").GetString() ?? "";
                if (sdkOnToken.Length > 0) results.SdkLoadedByTokenPath = sdkOnToken;
                if (cognito.State.FindDevice(user, key) is not null) results.Problems.Add($"first ForgetDevice run {i + 1}: the device is still there.");
                Log.Info(string.Format(CultureInfo.InvariantCulture,
                    "PowerShell fresh {0}: bare {1:0} ms, with Import-Module {2:0} ms (in-process {3:0.0} ms); first ForgetDevice {4:0} ms after start (import {5:0}, call {6:0})",
                    i + 1, a.StartToExitMs, b.StartToExitMs, results.ImportInProcessMs[^1], results.FirstForgetStartToDoneMs[^1], results.FirstForgetImportMs[^1], results.FirstForgetCallMs[^1]));
            }
            results.ImportOverBareMs = Stats.Median(results.ImportMs.Zip(results.BareMs, (x, y) => x - y));
            if (results.SdkLoadedByImport is not null) results.Problems.Add("Import-Module loaded " + results.SdkLoadedByImport);
            if (results.SdkLoadedByTokenPath is not null) results.Problems.Add("the token path loaded " + results.SdkLoadedByTokenPath);
            return results;
        }

        /// <summary>A single-quoted PowerShell literal.</summary>
        public static string Lit(string value) => "'" + value.Replace("'", "''") + "'";
    }
}
