using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace CognitoDevice.Bench
{
    internal static class MarkdownReport
    {
        private const double OverheadTargetPercent = 10;

        public static string Render(BenchResults r)
        {
            var sb = new StringBuilder();
            void Line(string s = "") => sb.Append(s).Append('\n');
            string F(double v, string format) => double.IsNaN(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);

            Line("## CognitoDevice benchmark");
            Line();
            Line($"Machine: {r.Machine.ProcessorCount} vCPU (`nproc`), {r.Machine.CpuModel}, {F(r.Machine.MemoryGiB, "0.0")} GiB RAM, {r.Machine.Os} ({r.Machine.OsDescription}), "
                + $"{r.Machine.Runtime}, {r.Machine.Configuration} build, {r.Machine.Gc}, tiered JIT {r.Machine.TieredCompilation}. "
                + $"Load average at start {r.Machine.LoadAverageAtStart}, at end {r.Machine.LoadAverageAtEnd} (endpoint and client share the CPUs; other work on the machine skews the numbers).  ");
            Line($"Commit: `{r.Git.Commit}`{(r.Git.Dirty == true ? " (working tree has uncommitted changes)" : "")}; started {r.StartedUtc}; total run time {F(r.TotalSeconds, "0")} s.");
            Line();

            if (r.Throughput is ThroughputResults t)
            {
                Line("### 1. Sequential ForgetDevice: module vs. floor");
                Line();
                int blockSize = r.Options.TryGetValue("block", out object? bo) && bo is int bi ? bi : 0;
                string design = blockSize == 0
                    ? "each round is two whole back-to-back runs (which side goes first alternates by round)"
                    : $"in each round both sides forget N devices sequentially in blocks of up to {blockSize} calls that alternate floor/module in ABBA order; a side's wall time is the sum of its blocks";
                Line($"Median over rounds (rounds per size in the table: at least {r.Options["rounds"]}, and enough for 3 000 calls per side, at most 500); {design}. p50/p99 over all calls of all rounds; "
                    + $"{t.WarmupCallsPerSide:N0} warm-up calls per side first, in chunks of 500 with 300 ms pauses for the tiered JIT ({F(t.WarmupSeconds, "0.0")} s); request log off. Allocation: process-wide `GC.GetTotalAllocatedBytes(true)` "
                    + "around each block (includes the in-process endpoint, the same for both sides), so *extra B/call* = module − floor is the client's own (1b measures it directly). "
                    + "*module/floor*, *overhead* and *extra µs/call* are medians of the per-round paired values (module and floor of the same round).");
                Line();
                Line("| N (rounds) | side | wall (ms) | calls/s | p50 (µs) | p99 (µs) | alloc B/call | module/floor | overhead | extra µs/call | extra B/call |");
                Line("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                foreach (SizeSummary s in t.Sizes)
                {
                    Line($"| {s.Size:N0} ({s.Rounds}) | floor | {F(s.Floor.WallMs, "0.0")} | {F(s.Floor.CallsPerSecond, "N0")} | {F(s.Floor.P50Us, "0")} | {F(s.Floor.P99Us, "0")} | {F(s.Floor.AllocatedBytesPerCall, "N0")} | | | | |");
                    Line($"| {s.Size:N0} ({s.Rounds}) | module | {F(s.Module.WallMs, "0.0")} | {F(s.Module.CallsPerSecond, "N0")} | {F(s.Module.P50Us, "0")} | {F(s.Module.P99Us, "0")} | {F(s.Module.AllocatedBytesPerCall, "N0")} "
                        + $"| {F(s.WallRatio, "0.000")} | {F(s.OverheadPercent, "+0.0;-0.0")} % | {F(s.OverheadUsPerCall, "0.0")} | {F(s.ExtraAllocatedBytesPerCall, "N0")} |");
                }
                Line();
                SizeSummary? largest = t.Sizes.OrderByDescending(s => s.Size).FirstOrDefault();
                if (largest is not null)
                {
                    bool met = largest.OverheadPercent <= OverheadTargetPercent;
                    Line($"Target \"client overhead ≤ {OverheadTargetPercent:0} % over the floor at N = 10,000\"{(largest.Size == 10_000 ? "" : $" (checked at the largest N measured, {largest.Size:N0})")}: **{(met ? "met" : "missed")}** "
                        + $"({F(largest.OverheadPercent, "+0.0;-0.0")} %{(met ? "" : ", " + F(largest.OverheadPercent - OverheadTargetPercent, "0.0") + " points over")}; per-round ratios "
                        + string.Join(", ", largest.RoundRatios.Select(x => F(x, "0.000"))) + ").  ");
                    var perSize = t.Sizes.OrderBy(s => s.Size).ToList();
                    if (perSize.Count > 1)
                    {
                        double lo = perSize.Min(s => s.Module.AllocatedBytesPerCall), hi = perSize.Max(s => s.Module.AllocatedBytesPerCall);
                        double loX = perSize.Min(s => s.ExtraAllocatedBytesPerCall), hiX = perSize.Max(s => s.ExtraAllocatedBytesPerCall);
                        Line($"Target \"allocations per call flat as N grows\": module {F(lo, "N0")}–{F(hi, "N0")} B/call (spread {F((hi - lo) / hi * 100, "0.0")} %), "
                            + $"client's extra {F(loX, "N0")}–{F(hiX, "N0")} B/call across N = {string.Join(", ", perSize.Select(s => s.Size.ToString("N0", CultureInfo.InvariantCulture)))}.");
                    }
                }
                Line();
                Line("Connection reuse and wire identity (separate run, request log on): " + t.Verification.Summary + ".");
                foreach (string p in t.Problems) Line("- PROBLEM: " + p);
                Line();
                if (t.Breakdown is BreakdownResults b)
                {
                    Line("#### 1b. Client side only: where the module's time goes (stub handler, no network, no server)");
                    Line();
                    Line($"{b.Iterations:N0} calls per row after warm-up, one thread, every await completes synchronously, so "
                        + "`GC.GetAllocatedBytesForCurrentThread` is the client's own allocation. The rows under the two whole calls are the module's per-call steps.");
                    Line();
                    Line("| step | ns/call | B/call |");
                    Line("|---|---:|---:|");
                    Line($"| **module: whole ForgetDevice** | **{F(b.ModuleCall.NanosecondsPerCall, "N0")}** | **{F(b.ModuleCall.BytesPerCall, "N0")}** |");
                    Line($"| **floor: whole request** | **{F(b.FloorCall.NanosecondsPerCall, "N0")}** | **{F(b.FloorCall.BytesPerCall, "N0")}** |");
                    foreach (BreakdownStep s in b.Steps)
                    {
                        string name = s.Name.StartsWith("  ", StringComparison.Ordinal) ? "&nbsp;&nbsp;&nbsp;" + s.Name.Trim() : s.Name;
                        Line($"| {name} | {F(s.NanosecondsPerCall, "N0")} | {F(s.BytesPerCall, "N0")} |");
                    }
                    Line();
                }
            }

            if (r.Pump is PumpResults pump)
            {
                Line("#### 1c. The pipeline pump: PipelinePump.Run against blocking on the call directly");
                Line();
                Line($"The same `DeviceSession.ForgetDeviceAsync` on one dedicated thread (as PowerShell's pipeline thread), {pump.CallsPerSide:N0} calls per side in alternating ABBA blocks of 250: "
                    + $"blocking on the task directly {F(pump.DirectUsPerCall, "0.0")} µs/call, through `PipelinePump.Run` (Task.Run, completion wakes the caller, messages drained on the caller) "
                    + $"{F(pump.PumpedUsPerCall, "0.0")} µs/call: **{F(pump.ExtraUsPerCall, "+0.0;-0.0")} µs per call** (median of paired blocks). "
                    + $"Process CPU (endpoint included, the same for both): {F(pump.DirectCpuUsPerCall, "0.0")} vs {F(pump.PumpedCpuUsPerCall, "0.0")} µs/call.");
                Line();
            }

            if (r.ColdStart is ColdStartResults c)
            {
                Line("### 2. Cold start");
                Line();
                Line($"`{c.DotnetHost} CognitoDevice.Bench.dll --cold-start-child URL - KEY`, median of {c.Runs.Count} (one untimed start first, so files are in the page cache). "
                    + "Times from just before `Process.Start` in the parent; *Main → forgotten* is the child's own Stopwatch.");
                Line();
                Line("| measure | median (ms) | runs (ms) |");
                Line("|---|---:|---|");
                string Runs(Func<ColdRun, double> f, System.Collections.Generic.IEnumerable<ColdRun> runs) => string.Join(", ", runs.Select(x => F(f(x), "0")));
                Line($"| process start → first ForgetDevice completed | {F(c.MedianStartToForgottenMs, "0")} | {Runs(x => x.StartToForgottenMs, c.Runs)} |");
                Line($"| process start → child exit | {F(c.MedianStartToExitMs, "0")} | {Runs(x => x.StartToExitMs, c.Runs)} |");
                Line($"| process start → Main | {F(c.MedianStartToMainMs, "0")} | {Runs(x => x.StartToMainMs, c.Runs)} |");
                Line($"| Main → ForgetDevice completed (in-process: settings, client, first request) | {F(c.MedianMainToForgottenMs, "0")} | {Runs(x => x.MainToForgottenMs, c.Runs)} |");
                Line($"| plain-HttpClient child (same request): process start → answer | {F(c.MedianFloorStartToForgottenMs, "0")} | {Runs(x => x.StartToForgottenMs, c.Floor)} |");
                Line($"| plain-HttpClient child: Main → answer | {F(c.MedianFloorMainToForgottenMs, "0")} | {Runs(x => x.MainToForgottenMs, c.Floor)} |");
                Line($"| plain-HttpClient child: process start → exit | {F(c.MedianFloorStartToExitMs, "0")} | {Runs(x => x.StartToExitMs, c.Floor)} |");
                Line($"| no-op child: process start → exit (runtime floor) | {F(c.MedianNoopStartToExitMs, "0")} | {Runs(x => x.StartToExitMs, c.Noop)} |");
                Line($"| no-op child: process start → Main | {F(c.MedianNoopStartToMainMs, "0")} | {Runs(x => x.StartToMainMs, c.Noop)} |");
                foreach (string p in c.Problems) Line("- PROBLEM: " + p);
                Line();
            }

            if (r.AssemblyLoad is AssemblyLoadResults a)
            {
                Line("### 2b. Assembly load (child process, `AssemblyLoadContext.Default.LoadFromAssemblyPath`)");
                Line();
                Line($"Module folder `{a.ModuleDirectory}`; median of {a.Runs.Count}. Types are forced with `RuntimeHelpers.RunClassConstructor` (type load + static constructor).");
                Line();
                Line("| step | median (ms) | runs (ms) |");
                Line("|---|---:|---|");
                string Runs(Func<LoadRun, double> f) => string.Join(", ", a.Runs.Select(x => F(f(x), "0.0")));
                Line($"| load CognitoDevice.dll | {F(a.MedianModuleLoadMs, "0.0")} | {Runs(x => x.ModuleLoadMs)} |");
                Line($"| + force {a.TokenPathTypes.Count} token-path types | {F(a.MedianTokenTypesMs, "0.0")} | {Runs(x => x.TokenTypesMs)} |");
                Line($"| **token path total** | **{F(a.MedianTokenPathMs, "0.0")}** | {Runs(x => x.TokenPathMs)} |");
                Line($"| load AWSSDK.Core.dll | {F(a.MedianSdkLoadMs, "0.0")} | {Runs(x => x.SdkLoadMs)} |");
                Line($"| + force {a.AdminPathTypes.Count} Admin-path types (module + SDK) | {F(a.MedianAdminTypesMs, "0.0")} | {Runs(x => x.AdminTypesMs)} |");
                Line($"| **Admin path extra** | **{F(a.MedianAdminPathMs, "0.0")}** | {Runs(x => x.AdminPathMs)} |");
                Line();
                Line($"Slowest forced types (median incremental ms, in forcing order; the first type that needs an assembly pays for loading it): "
                    + string.Join(", ", a.MedianPerTypeMs.Take(5).Select(kv => "`" + kv.Key.Substring(kv.Key.LastIndexOf('.') + 1) + "` " + F(kv.Value, "0.0"))) + ".  ");
                Line($"AWSSDK.Core loaded by the token path: **{(a.SdkLoadedOnTokenPath ? "yes" : "no")}**. Assemblies the token path loaded: "
                    + string.Join(", ", a.TokenPathAssemblies.Select(ShortName)) + ". Admin path added: " + string.Join(", ", a.AdminPathAssemblies.Select(ShortName)) + ".");
                foreach (string p in a.Problems) Line("- PROBLEM: " + p);
                Line();
            }

            if (r.Quota is QuotaResults q)
            {
                Line($"### 3. Living within the quota: {q.Devices:N0} devices at {F(q.RequestsPerSecond, "0.##")} requests/s (ideal {F(q.IdealSeconds, "0.0")} s)");
                Line();
                Line("Sequential, one fresh child process per scenario (the retry quota and the adaptive pacer live as long as the module). "
                    + "Throttled responses and requests come from the endpoint's request log, devices left from its state. "
                    + "*.NET client*: the module's `DeviceSession` in a bench child; *cmdlet in pwsh*: `$keys | Remove-CognitoDevice -PassThru -Verbose` in a fresh pwsh "
                    + "(bench/pwsh/Quota.ps1), outcomes counted from its output, error records and verbose stream.");
                Line();
                Line("| client | AWS_RETRY_MODE | AWS_MAX_ATTEMPTS | wall (s) | removed | left (state) | error records | requests | throttled | retries | retry-quota refusals | account exact |");
                Line("|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|");
                foreach (QuotaScenario s in q.Scenarios)
                {
                    string errors = s.ErrorRecords == 0 ? "0" : s.ErrorRecords.ToString(CultureInfo.InvariantCulture) + " (" + string.Join(", ", s.ErrorsByCode.Select(kv => kv.Key + " " + kv.Value.ToString(CultureInfo.InvariantCulture))) + ")";
                    if (s.InterruptedByTimeout + s.NotAttempted > 0) errors += $"; {s.InterruptedByTimeout + s.NotAttempted} not done (time limit)";
                    Line($"| {s.Client} | {s.Mode} | {s.MaxAttempts} | {F(s.WallSeconds, "0.0")} | {s.Removed:N0} | {s.DevicesLeft:N0} | {errors} | {s.TotalRequests:N0} | {s.ThrottledResponses:N0} | {s.Retries:N0} | {s.RetryQuotaRefusals:N0} "
                        + $"| {(s.AccountingExact ? "yes" : "NO: " + string.Join(" ", s.Problems))} |");
                }
                Line();
                foreach (QuotaScenario s in q.Scenarios.Where(x => x.Client == QuotaBench.PwshCmdlet && x.MaxAttempts == 3))
                {
                    bool met = s.WallSeconds <= QuotaTargetSeconds && s.Lost == 0 && s.AccountingExact;
                    if (q.Devices == 1000 && q.RequestsPerSecond == 25)
                    {
                        Line($"Target \"1,000 removals through the cmdlet at 25 rps ≤ {F(QuotaTargetSeconds, "0")} s, nothing lost\" ({s.Mode}): "
                            + $"**{(met ? "met" : "missed")}** ({F(s.WallSeconds, "0.0")} s, {s.Lost} lost).  ");
                    }
                    else
                    {
                        Line($"Through the cmdlet ({s.Mode}): {F(s.WallSeconds, "0.0")} s for {q.Devices:N0} devices, {s.Lost} lost (the ≤ {F(QuotaTargetSeconds, "0")} s target is for 1,000 devices at 25 rps: the full run).  ");
                    }
                }
                Line();
            }

            RenderPwsh(r, Line, F);
            return sb.ToString();
        }

        private const double QuotaTargetSeconds = 42;

        private static string Met(bool met) => met ? "met" : "**missed**";

        private static void RenderPwsh(BenchResults r, Action<string> line, Func<double, string, string> f)
        {
            void Line(string s = "") => line(s);
            string F(double v, string format) => f(v, format);
            if (r.Pwsh is null)
            {
                if (r.PwshProblem is not null)
                {
                    Line("### 4. In PowerShell: not measured");
                    Line();
                    Line("- PROBLEM: " + r.PwshProblem);
                    Line();
                }
                return;
            }
            PwshResults p = r.Pwsh;
            Line($"### 4. In PowerShell {p.PowerShellVersion}: the cmdlets as users run them");
            Line();
            Line($"`dotnet {p.PsHome}/pwsh.dll -NoProfile -NonInteractive` (the pinned local tool), one long-lived session (bench/pwsh/BenchServer.ps1) with the built module imported, "
                + "and the **floor** in a long-lived process of its own (a plain `HttpClient` loop sending byte-identical ForgetDevice requests, warmed), both against one in-process "
                + $"local endpoint on 127.0.0.1. {p.Rounds} rounds of {p.DevicesPerScenario:N0} devices per scenario after a warm-up; within a round the floor runs before, between and after the scenarios "
                + "(their order rotates by round), and a scenario's ratio is to the mean of the two floor runs around it. Time: a Stopwatch around the statement alone (keys read before). "
                + "CPU: the process's `TotalProcessorTime` around the same statement (every thread of pwsh, or of the floor process). Medians over rounds.");
            Line();
            Line("| way | ms per device | × floor (per-round ratios) | target | CPU ms per device | CPU × floor |");
            Line("|---|---:|---|---|---:|---:|");
            Line($"| floor: {p.Floor.Command} | {F(p.Floor.MsPerDevice, "0.000")} | 1 | | {F(p.Floor.CpuMsPerDevice, "0.000")} | 1 |");
            foreach (ScenarioSummary s in p.ScenarioSummaries)
            {
                string ratio = double.IsNaN(s.Ratio) ? "—" : $"**{F(s.Ratio, "0.00")}** ({string.Join(", ", s.RoundRatios.Select(x => F(x, "0.00")))})";
                string target = s.Target is double t ? $"≤ {F(t, "0.#")}×: {Met(s.Ratio <= t)}" : "";
                if (s.Name == PwshBench.Pipeline) target += $"; CPU ≤ {F(PwshBench.CpuTarget, "0")}×: {Met(s.CpuRatio <= PwshBench.CpuTarget)}";
                string cpuRatio = s.Name == PwshBench.WhatIf ? "—" : F(s.CpuRatio, "0.00");
                Line($"| {s.Command.Replace("|", "\\|")} | {F(s.MsPerDevice, "0.000")} | {ratio} | {target} | {F(s.CpuMsPerDevice, "0.000")} | {cpuRatio} |");
            }
            Line();
            if (p.Listing.Count > 0)
            {
                Line($"Listing: `Get-CognitoDevice -AccessToken $t | Out-Null` (streamed) against the floor paging the same way (`Limit` 60, the response parsed for the devices and the next token); "
                    + "pages counted in the endpoint's request log; alternating which side goes first; peak working set is the kernel's VmHWM of each process, reset before each run (`/proc/self/clear_refs`).");
                Line();
                Line($"| devices | pages | floor (ms) | cmdlet `\\| Out-Null` (ms) | × floor | target ≤ {F(PwshBench.ListingTarget, "0.0")}× | cmdlet `\\| Measure-Object` (ms, one run) | floor peak WS (MiB) | cmdlet peak WS (MiB) |");
                Line("|---:|---:|---:|---:|---:|---|---:|---:|---:|");
                foreach (ListingSummary l in p.Listing)
                {
                    Line($"| {l.Devices:N0} | {l.Pages:N0} | {F(l.FloorMs, "0.0")} | {F(l.PwshMs, "0.0")} | **{F(l.Ratio, "0.00")}** | {Met(l.Ratio <= PwshBench.ListingTarget)} | {F(l.MeasureObjectMs, "0.0")} | {F(l.FloorPeakMiB, "0.0")} | {F(l.PwshPeakMiB, "0.0")} |");
                }
                Line();
                if (p.PeakBytesPerExtraDevice is double g)
                {
                    bool flat = g < 200;
                    Line($"Memory when streamed: the cmdlet session's peak working set grows by {F(g, "0")} bytes per extra device from {p.PeakGrowthFrom:N0} to {p.PeakGrowthTo:N0} devices "
                        + $"(flat means < 200 B/device; a device kept in memory costs well over 1 KB): {(flat ? "flat" : "**not flat**")}.  ");
                }
            }
            if (p.FirstOne is FirstOneResult one)
            {
                Line($"`Get-CognitoDevice -AccessToken $t | Select-Object -First 1` over {one.Devices:N0} devices: {F(one.WallMs, "0.0")} ms, **{one.ListRequests} ListDevices request(s)** "
                    + $"({(one.ListRequests == 1 ? "it stops paging" : "it does NOT stop paging")}).");
                Line();
            }
            if (p.Fresh is FreshResults fr)
            {
                double bare = Stats.Median(fr.BareMs), imp = Stats.Median(fr.ImportMs);
                Line($"Fresh processes ({fr.BareMs.Count} runs each, bare and import interleaved in ABBA order, one untimed start of each first; times from just before `Process.Start` in the parent):");
                Line();
                Line("| measure | median (ms) | runs (ms) |");
                Line("|---|---:|---|");
                string Runs(System.Collections.Generic.IEnumerable<double> v) => string.Join(", ", v.Select(x => F(x, "0")));
                Line($"| bare `pwsh -NoProfile -NonInteractive -Command 'exit 0'`: start → exit | {F(bare, "0")} | {Runs(fr.BareMs)} |");
                Line($"| the same with `Import-Module <built manifest>`: start → exit | {F(imp, "0")} | {Runs(fr.ImportMs)} |");
                Line($"| **Import-Module over the bare start** (median of paired differences; target ≤ {F(PwshBench.ImportTargetMs, "0")} ms: {Met(fr.ImportOverBareMs <= PwshBench.ImportTargetMs)}) | **{F(fr.ImportOverBareMs, "0")}** | |");
                Line($"| Import-Module, Stopwatch inside pwsh | {F(Stats.Median(fr.ImportInProcessMs), "0.0")} | {string.Join(", ", fr.ImportInProcessMs.Select(x => F(x, "0.0")))} |");
                Line($"| first ForgetDevice in a fresh pwsh: process start → device forgotten | {F(Stats.Median(fr.FirstForgetStartToDoneMs), "0")} | {Runs(fr.FirstForgetStartToDoneMs)} |");
                Line($"| &nbsp;&nbsp;&nbsp;of which process start → script runs | {F(Stats.Median(fr.FirstForgetStartToScriptMs), "0")} | {Runs(fr.FirstForgetStartToScriptMs)} |");
                Line($"| &nbsp;&nbsp;&nbsp;of which Import-Module | {F(Stats.Median(fr.FirstForgetImportMs), "0")} | {Runs(fr.FirstForgetImportMs)} |");
                Line($"| &nbsp;&nbsp;&nbsp;of which the first `Remove-CognitoDevice` (settings, client, first request) | {F(Stats.Median(fr.FirstForgetCallMs), "0")} | {Runs(fr.FirstForgetCallMs)} |");
                Line();
                Line($"AWS SDK assemblies loaded (every assembly load context) by Import-Module: **{fr.SdkLoadedByImport ?? "none"}**; after a ForgetDevice with the access token: **{fr.SdkLoadedByTokenPath ?? "none"}**.");
                foreach (string pr in fr.Problems) Line("- PROBLEM: " + pr);
                Line();
            }
            foreach (string pr in p.Problems) Line("- PROBLEM: " + pr);
            if (p.Problems.Count > 0) Line();
        }

        private static string ShortName(string described)
        {
            int paren = described.IndexOf(" (", StringComparison.Ordinal);
            return paren < 0 ? described : described.Substring(0, paren);
        }
    }
}
