using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint;

namespace CognitoDevice.Bench
{
    /// <summary>The repository root (the folder with CognitoDevice.psd1) and the laid-out module folder.</summary>
    internal static class RepoPaths
    {
        private static readonly Lazy<string> LazyRoot = new Lazy<string>(FindRoot);

        public static string Root => LazyRoot.Value;

        /// <summary>ModuleVersion from the manifest, baked in at build time.</summary>
        public static string ModuleVersion => Metadata("ModuleVersion") ?? "0.0.0";

        /// <summary>output/CognitoDevice/&lt;version&gt;/ (written by the module's LayoutModule target on every build).</summary>
        public static string ModuleDirectory => Path.Combine(Root, "output", "CognitoDevice", ModuleVersion);

        public static string? Metadata(string key) =>
            typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;

        private static string FindRoot()
        {
            foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            {
                for (DirectoryInfo? d = new DirectoryInfo(start); d is not null; d = d.Parent)
                {
                    if (File.Exists(Path.Combine(d.FullName, "CognitoDevice.psd1")) && Directory.Exists(Path.Combine(d.FullName, "src"))) return d.FullName;
                }
            }
            return Directory.GetCurrentDirectory();
        }
    }

    /// <summary>
    /// Keeps the user's AWS configuration out of every measurement: the in-process module reads settings through
    /// a controlled variable set and an empty home directory; children get no AWS_* variable except the ones a
    /// scenario sets, AWS_EC2_METADATA_DISABLED=true, and HOME pointing to the same empty directory.
    /// </summary>
    internal static class BenchEnvironment
    {
        private static readonly Lazy<string> LazyHome = new Lazy<string>(() => Directory.CreateTempSubdirectory("cognito-bench-home-").FullName);

        public static string EmptyHome => LazyHome.Value;

        /// <summary>An environment for CognitoSettings.Load: only <paramref name="variables"/> (plus AWS_EC2_METADATA_DISABLED) exist.</summary>
        public static Func<string, string?> InProcess(IReadOnlyDictionary<string, string>? variables = null)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal) { ["AWS_EC2_METADATA_DISABLED"] = "true" };
            if (variables is not null)
            {
                foreach (KeyValuePair<string, string> kv in variables) map[kv.Key] = kv.Value;
            }
            return name => map.TryGetValue(name, out string? value) ? value : null;
        }

        public static void ConfigureChild(ProcessStartInfo psi, IReadOnlyDictionary<string, string>? variables)
        {
            foreach (string key in psi.Environment.Keys.ToList())
            {
                if (key.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase)
                    || key.StartsWith("COGNITODEVICE_QUOTA_", StringComparison.OrdinalIgnoreCase)) psi.Environment.Remove(key);
            }
            psi.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
            psi.Environment["HOME"] = EmptyHome;
            if (variables is not null)
            {
                foreach (KeyValuePair<string, string> kv in variables) psi.Environment[kv.Key] = kv.Value;
            }
        }

        public static void Cleanup()
        {
            if (!LazyHome.IsValueCreated) return;
            try
            {
                Directory.Delete(LazyHome.Value, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    internal sealed class ChildResult
    {
        public int ExitCode { get; init; }

        public string StdOut { get; init; } = "";

        public string StdErr { get; init; } = "";

        /// <summary>Stopwatch time from just before Process.Start to the observed exit.</summary>
        public double StartToExitMs { get; init; }

        /// <summary>DateTime.UtcNow ticks taken just before Process.Start (to compare with the child's own timestamps).</summary>
        public long StartUtcTicks { get; init; }

        public bool TimedOut { get; init; }
    }

    /// <summary>Starts this benchmark's own DLL again with the same dotnet host.</summary>
    internal static class ChildProcess
    {
        public static string DotnetHost
        {
            get
            {
                string? path = Environment.ProcessPath;
                if (path is not null && Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return path;
                // Started through an app host: the host sits three levels above the runtime directory (shared/Microsoft.NETCore.App/<v>/).
                string runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
                string candidate = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", "..", RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet"));
                return File.Exists(candidate) ? candidate : "dotnet";
            }
        }

        public static string BenchDll => typeof(ChildProcess).Assembly.Location;

        /// <summary>The environment variable that carries the access token to a child: never its command line, which any local user can read.</summary>
        public const string TokenVariable = "COGNITODEVICE_BENCH_TOKEN";

        public static Task<ChildResult> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? env, TimeSpan timeout,
            IReadOnlyList<string>? hostArgs = null, string? token = null)
        {
            var all = new List<string>();
            if (hostArgs is not null) all.AddRange(hostArgs);
            all.Add(BenchDll);
            all.AddRange(args);
            return RunDotnetAsync(all, env, timeout, token);
        }

        /// <summary>`dotnet ARGS` (any app: this bench, pwsh.dll), with the child environment of <see cref="BenchEnvironment.ConfigureChild"/>.</summary>
        public static async Task<ChildResult> RunDotnetAsync(IReadOnlyList<string> dotnetArgs, IReadOnlyDictionary<string, string>? env, TimeSpan timeout,
            string? token = null)
        {
            var psi = new ProcessStartInfo(DotnetHost)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = RepoPaths.Root,
            };
            foreach (string a in dotnetArgs) psi.ArgumentList.Add(a);
            BenchEnvironment.ConfigureChild(psi, env);
            if (token is not null) psi.Environment[TokenVariable] = token;

            using var process = new Process { StartInfo = psi };
            var stdout = new System.Text.StringBuilder();
            var stderr = new System.Text.StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };

            long startTicks = DateTime.UtcNow.Ticks;
            long t0 = Stopwatch.GetTimestamp();
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            bool timedOut = false;
            using (var cts = new CancellationTokenSource(timeout))
            {
                try
                {
                    await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    timedOut = true;
                    try
                    {
                        process.Kill(entireProcessTree: true); // only the child this method started
                    }
                    catch (InvalidOperationException)
                    {
                    }
                    await process.WaitForExitAsync().ConfigureAwait(false);
                }
            }
            double elapsedMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            process.WaitForExit(); // drains the redirected streams
            string o, e2;
            lock (stdout) o = stdout.ToString();
            lock (stderr) e2 = stderr.ToString();
            return new ChildResult
            {
                ExitCode = timedOut ? -1 : process.ExitCode,
                StdOut = o,
                StdErr = e2,
                StartToExitMs = elapsedMs,
                StartUtcTicks = startTicks,
                TimedOut = timedOut,
            };
        }

        /// <summary>
        /// `dotnet exec` arguments with a copy of this app's deps.json without CognitoDevice and AWSSDK.Core, so that
        /// neither is on the trusted platform assembly list and AssemblyLoadContext.Default.LoadFromAssemblyPath really
        /// loads them from the module folder (with the app's own deps.json, the default context would bind the copies
        /// next to the benchmark instead, and AWSSDK.Core would be its net8.0 build, not the module's netstandard2.0 one).
        /// </summary>
        public static IReadOnlyList<string> HostArgsWithoutModule()
        {
            string baseDir = AppContext.BaseDirectory;
            string depsPath = Path.Combine(baseDir, "CognitoDevice.Bench.deps.json");
            var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(depsPath))!.AsObject();
            static bool Excluded(string key) => key.StartsWith("CognitoDevice/", StringComparison.Ordinal) || key.StartsWith("AWSSDK.Core/", StringComparison.Ordinal);
            foreach (KeyValuePair<string, System.Text.Json.Nodes.JsonNode?> target in root["targets"]!.AsObject())
            {
                var libraries = target.Value!.AsObject();
                foreach (string key in libraries.Select(kv => kv.Key).Where(Excluded).ToList()) libraries.Remove(key);
                foreach (KeyValuePair<string, System.Text.Json.Nodes.JsonNode?> library in libraries)
                {
                    if (library.Value?["dependencies"] is System.Text.Json.Nodes.JsonObject deps)
                    {
                        deps.Remove("CognitoDevice");
                        deps.Remove("AWSSDK.Core");
                    }
                }
            }
            var libs = root["libraries"]!.AsObject();
            foreach (string key in libs.Select(kv => kv.Key).Where(Excluded).ToList()) libs.Remove(key);
            string trimmed = Path.Combine(BenchEnvironment.EmptyHome, "load-child.deps.json");
            File.WriteAllText(trimmed, root.ToJsonString());
            return new[] { "exec", "--depsfile", trimmed, "--runtimeconfig", Path.Combine(baseDir, "CognitoDevice.Bench.runtimeconfig.json") };
        }

        /// <summary>The last stdout line that is a JSON object (children print one result line).</summary>
        public static string ResultLine(ChildResult r)
        {
            string? line = r.StdOut.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'));
            if (line is null)
            {
                throw new InvalidOperationException("the child printed no result (exit " + r.ExitCode.ToString(CultureInfo.InvariantCulture)
                    + (r.TimedOut ? ", timed out" : "") + "): " + Tail(r.StdErr + r.StdOut));
            }
            return line;
        }

        public static string Tail(string text, int max = 2000) => text.Length <= max ? text : "..." + text.Substring(text.Length - max);
    }

    internal static class LocalEndpoint
    {
        public static Task<LocalCognito> StartUnlimitedAsync() => StartAsync(null);

        public static async Task<LocalCognito> StartAsync(double? requestsPerSecond)
        {
            LocalCognito cognito = await LocalCognito.StartAsync(new LocalCognitoOptions { RequestsPerSecond = requestsPerSecond }).ConfigureAwait(false);
            if (cognito.Url.Host != "127.0.0.1")
            {
                await cognito.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException("The local endpoint is not on 127.0.0.1: " + cognito.Url);
            }
            return cognito;
        }

        /// <summary>The -EndpointUrl form: scheme, host and port, no trailing slash.</summary>
        public static string UrlText(LocalCognito cognito) => cognito.Url.GetLeftPart(UriPartial.Authority);
    }

    internal static class Stats
    {
        public static double Median(IEnumerable<double> values)
        {
            double[] v = values.OrderBy(x => x).ToArray();
            if (v.Length == 0) return double.NaN;
            return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
        }

        /// <summary>Nearest-rank percentile of sorted values (p in 0..100).</summary>
        public static double Percentile(double[] sorted, double p)
        {
            if (sorted.Length == 0) return double.NaN;
            int rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
            return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
        }
    }

    internal sealed class MachineInfo
    {
        public int ProcessorCount { get; init; }

        public string CpuModel { get; init; } = "unknown";

        public double MemoryGiB { get; init; }

        public string Os { get; init; } = "unknown";

        public string OsDescription { get; init; } = "";

        public string Runtime { get; init; } = "";

        public string Configuration { get; init; } = "";

        public string Gc { get; init; } = "";

        public string TieredCompilation { get; init; } = "";

        /// <summary>/proc/loadavg when the run started (other work on the machine skews the numbers).</summary>
        public string LoadAverageAtStart { get; init; } = "";

        /// <summary>/proc/loadavg when the run ended.</summary>
        public string LoadAverageAtEnd { get; set; } = "";

        public static string LoadAverage()
        {
            try
            {
                return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
            }
            catch (IOException)
            {
                return "";
            }
            catch (UnauthorizedAccessException)
            {
                return "";
            }
        }

        public string Describe() => string.Format(CultureInfo.InvariantCulture, "{0} × {1}, {2:0.0} GiB RAM, {3}, {4}, {5} build, {6}",
            ProcessorCount, CpuModel, MemoryGiB, Os, Runtime, Configuration, Gc);

        public static MachineInfo Collect()
        {
            string cpu = "unknown";
            double memGiB = 0;
            string os = RuntimeInformation.OSDescription;
            try
            {
                string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null) cpu = line.Substring(line.IndexOf(':') + 1).Trim();
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
            try
            {
                string? line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
                if (line is not null)
                {
                    string kb = new string(line.Where(char.IsDigit).ToArray());
                    memGiB = double.Parse(kb, CultureInfo.InvariantCulture) / 1024 / 1024;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
            try
            {
                string? pretty = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
                if (pretty is not null) os = pretty.Substring("PRETTY_NAME=".Length).Trim('"');
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
            string tiered = (AppContext.GetData("System.Runtime.TieredCompilation") as string) ?? "default (on)";
            return new MachineInfo
            {
                ProcessorCount = Environment.ProcessorCount,
                CpuModel = cpu,
                MemoryGiB = Math.Round(memGiB, 1),
                Os = os,
                OsDescription = RuntimeInformation.OSDescription + " " + RuntimeInformation.OSArchitecture,
                Runtime = RuntimeInformation.FrameworkDescription,
                Configuration = RepoPaths.Metadata("Configuration") ?? "unknown",
                Gc = (GCSettings.IsServerGC ? "server GC" : "workstation GC") + (GCSettings.LatencyMode == GCLatencyMode.Batch ? "" : ", concurrent"),
                TieredCompilation = tiered,
                LoadAverageAtStart = LoadAverage(),
            };
        }
    }

    internal sealed class GitInfo
    {
        public string Commit { get; init; } = "unknown";

        /// <summary>Uncommitted changes in the working tree (null when git is not available).</summary>
        public bool? Dirty { get; init; }

        public static GitInfo Collect(string root)
        {
            string? commit = Git(root, "rev-parse", "HEAD")?.Trim();
            if (string.IsNullOrEmpty(commit)) return new GitInfo();
            // --no-optional-locks: read-only, never refreshes the index of the repository being measured.
            string? status = Git(root, "--no-optional-locks", "status", "--porcelain");
            return new GitInfo { Commit = commit!, Dirty = status is null ? null : status.Trim().Length > 0 };
        }

        private static string? Git(string root, params string[] args)
        {
            try
            {
                var psi = new ProcessStartInfo("git")
                {
                    UseShellExecute = false,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    WorkingDirectory = root,
                };
                foreach (string a in args) psi.ArgumentList.Add(a);
                using Process? p = Process.Start(psi);
                if (p is null) return null;
                string output = p.StandardOutput.ReadToEnd();
                p.StandardError.ReadToEnd();
                if (!p.WaitForExit(10_000))
                {
                    p.Kill();
                    return null;
                }
                return p.ExitCode == 0 ? output : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }
    }
}
