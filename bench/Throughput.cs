using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Configuration;
using CognitoDevice.LocalEndpoint;
using CognitoDevice.Operations;
using CognitoDevice.Protocol;
using CognitoDevice.Runtime;

namespace CognitoDevice.Bench
{
    /// <summary>The module's token path, exactly as Remove-CognitoDevice builds it (minus the PowerShell pipeline).</summary>
    internal sealed class ModuleSide
    {
        private readonly CognitoSettings _settings;
        private readonly CognitoClient _client;

        public ModuleSide(string endpointUrl)
        {
            // As CognitoDeviceCmdletBase.CreateSession: -EndpointUrl, no profile; the environment is the bench's
            // controlled set and the home directory is empty, so the user's AWS config cannot change the numbers.
            _settings = CognitoSettings.Load(endpointUrl, null, BenchEnvironment.InProcess(), BenchEnvironment.EmptyHome);
            _client = ModuleRuntime.CreateClient(_settings);
        }

        public string UserAgent => _client.UserAgent;

        public int MaxAttempts => _client.Retry.MaxAttempts;

        public DeviceSession Session(string accessToken) => new DeviceSession(_settings, _client, accessToken, NoSigner);

        public static Task ForgetAsync(DeviceSession session, string deviceKey) =>
            session.ForgetDeviceAsync(new DeviceTarget(deviceKey, null, null), null, CancellationToken.None);

        private static IRequestSigner NoSigner() => throw new InvalidOperationException("The benchmark uses the token path only.");
    }

    /// <summary>
    /// The floor: a bare HttpClient loop that puts the same bytes on the wire as the module (same URI, same
    /// headers with the same values — User-Agent, X-Amz-Target, amz-sdk-invocation-id (a fresh GUID, as the module),
    /// amz-sdk-request, Content-Type — and the same JSON body), over its own HttpClient with the module's handler
    /// settings, and checks only the status code. No retries, no per-attempt timeout, no parsing.
    /// </summary>
    internal sealed class FloorSide : IDisposable
    {
        private const string Target = "AWSCognitoIdentityProviderService.ForgetDevice";
        private static readonly MediaTypeHeaderValue JsonType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        private readonly HttpClient _http;
        private readonly Uri _endpoint;
        private readonly string _userAgent;
        private readonly string _sdkRequest;

        public FloorSide(string endpointUrl, string userAgent, int maxAttempts, HttpMessageHandler? handler = null)
        {
            _endpoint = new Uri(endpointUrl, UriKind.Absolute);
            _userAgent = userAgent;
            _sdkRequest = "attempt=1; max=" + maxAttempts.ToString(CultureInfo.InvariantCulture);
            handler ??= new HttpClientHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.None,
            };
            _http = new HttpClient(handler, disposeHandler: true)
            {
                Timeout = Timeout.InfiniteTimeSpan,
                MaxResponseContentBufferSize = 16 * 1024 * 1024,
            };
        }

        /// <summary>The request body; the token (base64url and dots) and key (region_uuid) need no JSON escaping.</summary>
        public static string Body(string accessToken, string deviceKey) =>
            "{\"AccessToken\":\"" + accessToken + "\",\"DeviceKey\":\"" + deviceKey + "\"}";

        public async Task ForgetAsync(string accessToken, string deviceKey)
        {
            byte[] body = Encoding.UTF8.GetBytes(Body(accessToken, deviceKey));
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint);
            request.Headers.TryAddWithoutValidation("X-Amz-Target", Target);
            request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
            request.Headers.TryAddWithoutValidation("amz-sdk-invocation-id", Guid.NewGuid().ToString());
            request.Headers.TryAddWithoutValidation("amz-sdk-request", _sdkRequest);
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = JsonType;
            request.Content = content;
            using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException("floor: HTTP " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
        }

        public void Dispose() => _http.Dispose();
    }

    internal static class ThroughputBench
    {
        public const string ModuleName = "module";
        public const string FloorName = "floor";
        private const int VerifyCalls = 100;

        /// <summary>
        /// Pause after each warm-up chunk. Measured on the reference machine: with 100 ms the first sizes measured
        /// still ran on partly unpromoted code (N=100 first: +47 % overhead, the same N later: +5..17 %); with 300 ms
        /// the first measurement already matches the later ones.
        /// </summary>
        private const int WarmupPauseMs = 300;

        public static async Task<ThroughputResults> RunAsync(LocalCognito cognito, BenchOptions options)
        {
            string url = LocalEndpoint.UrlText(cognito);
            var module = new ModuleSide(url);
            using var floor = new FloorSide(url, module.UserAgent, module.MaxAttempts);
            UserPool pool = cognito.State.CreatePool("us-east-1");
            int users = 0;
            PoolUser NewUser() => cognito.State.CreateUser(pool, "bench" + (++users).ToString("D6", CultureInfo.InvariantCulture));
            var results = new ThroughputResults
            {
                AllocationMethod = "GC.GetTotalAllocatedBytes(precise: true) around the loop: process-wide, so it includes the in-process endpoint's " +
                    "allocations (identical for both sides, since the requests are byte-identical); module − floor is the client's extra.",
                EndpointUrl = url,
            };

            cognito.Requests.Enabled = false;

            // Warm-up: both sides, call by call in turn, in chunks of 500 with a pause after each so the tiered JIT
            // (tier 0, instrumented tier, tier 1 with dynamic PGO) can promote the hot methods of client and server
            // (its background compilation waits for a quiet moment: see WarmupPauseMs).
            Log.Info($"Throughput: warm-up, {options.Warmup} calls per side.");
            {
                PoolUser user = NewUser();
                string token = cognito.State.IssueAccessToken(user, TimeSpan.FromHours(4));
                string[] keys = cognito.State.SeedDevices(user, options.Warmup * 2, seed: 7).Select(d => d.DeviceKey).ToArray();
                DeviceSession session = module.Session(token);
                const int chunk = 500;
                var warmClock = Stopwatch.StartNew();
                for (int start = 0; start < options.Warmup; start += chunk)
                {
                    for (int i = start; i < Math.Min(options.Warmup, start + chunk); i++)
                    {
                        await ModuleSide.ForgetAsync(session, keys[2 * i]).ConfigureAwait(false);
                        await floor.ForgetAsync(token, keys[2 * i + 1]).ConfigureAwait(false);
                    }
                    await Task.Delay(WarmupPauseMs).ConfigureAwait(false);
                }
                results.WarmupCallsPerSide = options.Warmup;
                results.WarmupSeconds = warmClock.Elapsed.TotalSeconds;
            }

            results.Verification = await VerifyAsync(cognito, module, floor, NewUser).ConfigureAwait(false);
            Log.Info("Throughput: verification: " + results.Verification.Summary);

            foreach (int n in options.Sizes)
            {
                var runs = new List<RunMeasurement>();
                int rounds = RoundsFor(n, options.Rounds);
                for (int round = 0; round < rounds; round++)
                {
                    PoolUser user = NewUser();
                    string token = cognito.State.IssueAccessToken(user, TimeSpan.FromHours(4));
                    string[] all = cognito.State.SeedDevices(user, 2 * n, seed: 1000 + n + round).Select(d => d.DeviceKey).ToArray();
                    string[] moduleKeys = all.Where((_, i) => i % 2 == 0).ToArray();
                    string[] floorKeys = all.Where((_, i) => i % 2 == 1).ToArray();
                    DeviceSession session = module.Session(token);
                    int block = options.Block == 0 ? n : Math.Min(n, options.Block);
                    (RunMeasurement m, RunMeasurement f) = await MeasureRoundAsync(n, round, block,
                        i => ModuleSide.ForgetAsync(session, moduleKeys[i]), i => floor.ForgetAsync(token, floorKeys[i])).ConfigureAwait(false);
                    int left = cognito.State.Devices(user).Count;
                    m.DevicesVerifiedGone = f.DevicesVerifiedGone = left == 0;
                    if (left != 0) results.Problems.Add($"N={n} round {round + 1}: {left} devices left after both sides, expected 0.");
                    runs.Add(f);
                    runs.Add(m);
                    foreach (RunMeasurement x in new[] { f, m }.Where(_ => rounds <= 20 || round % 100 == 0))
                    {
                        Log.Info(string.Format(CultureInfo.InvariantCulture, "Throughput: N={0} round {1} {2,-6}: {3,9:0.0} ms, {4,8:0} calls/s, p50 {5:0} µs, p99 {6:0} µs, {7:0} B/call",
                            n, round + 1, x.Side, x.WallMs, x.CallsPerSecond, x.P50Us, x.P99Us, x.AllocatedBytesPerCall));
                    }
                    if (n >= 1000) await Task.Delay(100).ConfigureAwait(false);
                }
                results.Sizes.Add(Summarize(n, runs));
            }

            {
                // The short profiling look: client-side costs without network or server (a key that need not exist).
                PoolUser user = NewUser();
                string token = cognito.State.IssueAccessToken(user, TimeSpan.FromHours(4));
                Log.Info("Throughput: client-side breakdown over a stub handler ...");
                results.Breakdown = Breakdown.Run(url, token, "us-east-1_00000000-0000-0000-0000-000000000000");
                Log.Info("Throughput: " + results.Breakdown.ModuleCall + " | " + results.Breakdown.FloorCall);
            }

            results.AllChecksPassed = results.Problems.Count == 0 && results.Verification.Passed;
            return results;
        }

        /// <summary>
        /// Small sizes get more rounds (at least 3 000 calls per side in all, at most 500 rounds), so their medians
        /// and p50/p99 rest on enough samples; each round is still a fresh session forgetting N devices, as one
        /// Remove-CognitoDevice would.
        /// </summary>
        public static int RoundsFor(int n, int rounds) => Math.Max(rounds, Math.Min(500, (3000 + n - 1) / n));

        private sealed class SideAccumulator
        {
            public SideAccumulator(string side, int n)
            {
                Side = side;
                Ticks = new long[n];
            }

            public string Side { get; }

            public long[] Ticks { get; }

            public int Done { get; set; }

            public long ElapsedTicks { get; set; }

            public long AllocatedBytes { get; set; }

            public int Gen0 { get; set; }

            public int Gen1 { get; set; }

            public int Gen2 { get; set; }

            public int Blocks { get; set; }
        }

        /// <summary>
        /// One round: each side forgets <paramref name="n"/> devices sequentially, in blocks of <paramref name="block"/>
        /// calls that alternate between the sides in ABBA order (floor, module, module, floor, ...; the first side
        /// alternates by round). A side's time is the sum of its blocks, so both sides see the same machine, and slow
        /// drifts (other work on the host, JIT, page cache) fall on both alike. With block = n it is two whole runs.
        /// </summary>
        private static async Task<(RunMeasurement Module, RunMeasurement Floor)> MeasureRoundAsync(int n, int round, int block,
            Func<int, Task> moduleCall, Func<int, Task> floorCall)
        {
            var module = new SideAccumulator(ModuleName, n);
            var floor = new SideAccumulator(FloorName, n);
            if (n >= 1000)
            {
                // A clean heap per large round, so the collections its allocations cause are comparable. Small rounds
                // cause none, and a forced collection right before them would only add thread wake-up noise.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
            }
            int blocks = (n + block - 1) / block;
            for (int k = 0; k < blocks; k++)
            {
                bool floorFirst = (k + round) % 2 == 0;
                for (int j = 0; j < 2; j++)
                {
                    bool isFloor = (j == 0) == floorFirst;
                    await RunBlockAsync(isFloor ? floor : module, isFloor ? floorCall : moduleCall, block, n).ConfigureAwait(false);
                }
            }
            return (Finish(module, n, round, block), Finish(floor, n, round, block));
        }

        private static async Task RunBlockAsync(SideAccumulator side, Func<int, Task> call, int block, int n)
        {
            int end = Math.Min(n, side.Done + block);
            int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            long start = Stopwatch.GetTimestamp();
            for (int i = side.Done; i < end; i++)
            {
                long t = Stopwatch.GetTimestamp();
                await call(i).ConfigureAwait(false);
                side.Ticks[i] = Stopwatch.GetTimestamp() - t;
            }
            side.ElapsedTicks += Stopwatch.GetTimestamp() - start;
            side.AllocatedBytes += GC.GetTotalAllocatedBytes(precise: true) - allocated;
            side.Gen0 += GC.CollectionCount(0) - g0;
            side.Gen1 += GC.CollectionCount(1) - g1;
            side.Gen2 += GC.CollectionCount(2) - g2;
            side.Done = end;
            side.Blocks++;
        }

        private static RunMeasurement Finish(SideAccumulator side, int n, int round, int block)
        {
            double wallMs = side.ElapsedTicks * 1000.0 / Stopwatch.Frequency;
            double[] us = side.Ticks.Select(t => t * 1_000_000.0 / Stopwatch.Frequency).OrderBy(x => x).ToArray();
            return new RunMeasurement
            {
                Side = side.Side,
                Size = n,
                Round = round + 1,
                BlockSize = block,
                Blocks = side.Blocks,
                WallMs = wallMs,
                CallsPerSecond = n / (wallMs / 1000.0),
                P50Us = Stats.Percentile(us, 50),
                P99Us = Stats.Percentile(us, 99),
                MeanUs = us.Average(),
                AllocatedBytesPerCall = side.AllocatedBytes / (double)n,
                Gen0Collections = side.Gen0,
                Gen1Collections = side.Gen1,
                Gen2Collections = side.Gen2,
                SortedLatenciesUs = us,
            };
        }

        private static SizeSummary Summarize(int n, List<RunMeasurement> runs)
        {
            SideSummary Side(string name)
            {
                List<RunMeasurement> mine = runs.Where(r => r.Side == name).ToList();
                double[] pooled = mine.SelectMany(r => r.SortedLatenciesUs).OrderBy(x => x).ToArray();
                double wall = Stats.Median(mine.Select(r => r.WallMs));
                return new SideSummary
                {
                    WallMs = wall,
                    CallsPerSecond = n / (wall / 1000.0),
                    P50Us = Stats.Percentile(pooled, 50),
                    P99Us = Stats.Percentile(pooled, 99),
                    AllocatedBytesPerCall = Stats.Median(mine.Select(r => r.AllocatedBytesPerCall)),
                    Gen0Collections = mine.Sum(r => r.Gen0Collections),
                    Gen1Collections = mine.Sum(r => r.Gen1Collections),
                    Gen2Collections = mine.Sum(r => r.Gen2Collections),
                };
            }
            SideSummary module = Side(ModuleName), floor = Side(FloorName);
            var pairs = runs.GroupBy(r => r.Round).Select(g => (Module: g.Single(r => r.Side == ModuleName), Floor: g.Single(r => r.Side == FloorName))).ToList();
            var roundRatios = pairs.Select(p => p.Module.WallMs / p.Floor.WallMs).ToList();
            double ratio = Stats.Median(roundRatios);
            return new SizeSummary
            {
                Size = n,
                Rounds = runs.Count / 2,
                Module = module,
                Floor = floor,
                WallRatio = ratio,
                OverheadPercent = (ratio - 1) * 100,
                OverheadUsPerCall = Stats.Median(pairs.Select(p => (p.Module.WallMs - p.Floor.WallMs) * 1000 / n)),
                ExtraAllocatedBytesPerCall = module.AllocatedBytesPerCall - floor.AllocatedBytesPerCall,
                RoundRatios = roundRatios,
                Runs = runs,
            };
        }

        /// <summary>
        /// A separate small run with the request log on: every call of each side used one connection, and the
        /// two sides' requests are the same bytes (headers and body) apart from the invocation id's GUID value.
        /// </summary>
        private static async Task<VerificationResult> VerifyAsync(LocalCognito cognito, ModuleSide module, FloorSide floor, Func<PoolUser> newUser)
        {
            PoolUser user = newUser();
            string token = cognito.State.IssueAccessToken(user, TimeSpan.FromHours(4));
            string[] keys = cognito.State.SeedDevices(user, 2 * VerifyCalls, seed: 11).Select(d => d.DeviceKey).ToArray();
            var moduleKeys = new HashSet<string>(keys.Where((_, i) => i % 2 == 0), StringComparer.Ordinal);
            var floorKeys = new HashSet<string>(keys.Where((_, i) => i % 2 == 1), StringComparer.Ordinal);
            DeviceSession session = module.Session(token);

            cognito.Requests.Clear();
            cognito.Requests.Enabled = true;
            try
            {
                foreach (string k in moduleKeys) await ModuleSide.ForgetAsync(session, k).ConfigureAwait(false);
                foreach (string k in floorKeys) await floor.ForgetAsync(token, k).ConfigureAwait(false);
            }
            finally
            {
                cognito.Requests.Enabled = false;
            }
            IReadOnlyList<RecordedRequest> log = cognito.Requests.Snapshot();
            cognito.Requests.Clear();

            var result = new VerificationResult { CallsPerSide = VerifyCalls };
            string KeyOf(RecordedRequest r)
            {
                const string marker = "\"DeviceKey\":\"";
                int at = r.Body.IndexOf(marker, StringComparison.Ordinal);
                if (at < 0) return "";
                int start = at + marker.Length;
                int end = r.Body.IndexOf('"', start);
                return end < 0 ? "" : r.Body.Substring(start, end - start);
            }
            List<RecordedRequest> moduleLog = log.Where(r => moduleKeys.Contains(KeyOf(r))).ToList();
            List<RecordedRequest> floorLog = log.Where(r => floorKeys.Contains(KeyOf(r))).ToList();
            result.ModuleRequests = moduleLog.Count;
            result.FloorRequests = floorLog.Count;
            result.ModuleConnections = moduleLog.Select(r => r.ConnectionId).Distinct().Count();
            result.FloorConnections = floorLog.Select(r => r.ConnectionId).Distinct().Count();
            result.AllSucceeded = log.Count == 2 * VerifyCalls && log.All(r => r.StatusCode == 200);
            result.DevicesGone = cognito.State.Devices(user).Count == 0;

            // Body: the module's body for key k equals the floor's Body(token, k), for every request of both sides.
            result.BodiesIdentical = moduleLog.Concat(floorLog).All(r => r.Body == FloorSide.Body(token, KeyOf(r)))
                && moduleLog.Count > 0 && floorLog.Count > 0;

            // Headers: same names and values on both sides, except the per-call GUID of amz-sdk-invocation-id.
            var differences = new SortedSet<string>(StringComparer.Ordinal);
            if (moduleLog.Count > 0 && floorLog.Count > 0)
            {
                IReadOnlyDictionary<string, string> reference = moduleLog[0].Headers;
                result.HeaderNames = reference.Keys.OrderBy(k => k, StringComparer.OrdinalIgnoreCase).ToList();
                foreach (RecordedRequest r in moduleLog.Concat(floorLog))
                {
                    foreach (string name in reference.Keys.Union(r.Headers.Keys, StringComparer.OrdinalIgnoreCase))
                    {
                        bool inRef = reference.TryGetValue(name, out string? a);
                        bool inThis = r.Headers.TryGetValue(name, out string? b);
                        if (!inRef || !inThis)
                        {
                            differences.Add(name + " present on one side only");
                            continue;
                        }
                        if (name.Equals("amz-sdk-invocation-id", StringComparison.OrdinalIgnoreCase))
                        {
                            if (!Guid.TryParseExact(b, "D", out _)) differences.Add(name + " is not a GUID");
                            continue;
                        }
                        if (!string.Equals(a, b, StringComparison.Ordinal)) differences.Add(name + " differs");
                    }
                }
                result.InvocationIdsUnique = moduleLog.Concat(floorLog).Select(r => r.Headers.TryGetValue("amz-sdk-invocation-id", out string? v) ? v : "")
                    .Distinct().Count() == moduleLog.Count + floorLog.Count;
            }
            result.HeaderDifferences = differences.ToList();
            result.Passed = result.AllSucceeded && result.DevicesGone && result.ModuleRequests == VerifyCalls && result.FloorRequests == VerifyCalls
                && result.ModuleConnections == 1 && result.FloorConnections == 1 && result.BodiesIdentical && differences.Count == 0 && result.InvocationIdsUnique;
            result.Summary = string.Format(CultureInfo.InvariantCulture,
                "{0}: module {1} requests on {2} connection(s), floor {3} requests on {4} connection(s); bodies identical: {5}; headers identical except the invocation GUID: {6}{7}",
                result.Passed ? "PASS" : "FAIL", result.ModuleRequests, result.ModuleConnections, result.FloorRequests, result.FloorConnections,
                result.BodiesIdentical ? "yes" : "NO", differences.Count == 0 ? "yes" : "NO (" + string.Join("; ", differences) + ")",
                result.HeaderNames.Count > 0 ? " [" + string.Join(", ", result.HeaderNames) + "]" : "");
            return result;
        }
    }
}
