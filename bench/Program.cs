using System.Collections.Generic;
using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace CognitoDevice.Bench
{
    /// <summary>
    /// Entry point. The child modes come first and are dispatched before anything else runs, so that a child
    /// measures its own start-up and nothing of the parent's; this method names no module type (JIT-compiling it
    /// must not load CognitoDevice.dll, which the assembly-load child loads from the module folder itself).
    /// </summary>
    internal static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length > 0)
            {
                switch (args[0])
                {
                    case Children.NoopMode:
                        return Children.Noop();
                    case Children.ColdStartMode:
                        return Children.ColdStart(args);
                    case Children.ColdFloorMode:
                        return Children.ColdFloor(args);
                    case Children.LoadMode:
                        return LoadChild.AssemblyLoad(args);
                    case Children.QuotaMode:
                        return Children.Quota(args);
                    case FloorServer.Mode:
                        return FloorServer.Run(args);
                }
            }

            BenchOptions options;
            try
            {
                options = BenchOptions.Parse(args);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine("error: " + ex.Message);
                Console.Error.WriteLine(BenchOptions.Usage);
                return 2;
            }
            if (options.Help)
            {
                Console.WriteLine(BenchOptions.Usage);
                return 0;
            }

            System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;

            // Nothing in this process or its children may ever ask the instance metadata service for credentials.
            Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
            // The .NET-level parts measure the client's own cost: the module's quota pacing (a deliberate wait) is off
            // in this process. Children get their own environment (PwshBench.ChildEnvironment; paced for the quota runs).
            foreach (KeyValuePair<string, string> kv in PwshBench.Unpaced) Environment.SetEnvironmentVariable(kv.Key, kv.Value);
            try
            {
                return Runner.RunAsync(options).GetAwaiter().GetResult();
            }
            finally
            {
                BenchEnvironment.Cleanup();
            }
        }
    }

    /// <summary>Progress goes to stderr, so stdout carries only the Markdown report.</summary>
    internal static class Log
    {
        private static readonly Stopwatch Clock = Stopwatch.StartNew();

        public static void Info(string message) =>
            Console.Error.WriteLine("[" + Clock.Elapsed.TotalSeconds.ToString("0000.0", System.Globalization.CultureInfo.InvariantCulture) + " s] " + message);
    }

    internal static class Runner
    {
        public static async Task<int> RunAsync(BenchOptions options)
        {
            var total = Stopwatch.StartNew();
            var results = new BenchResults
            {
                StartedUtc = DateTime.UtcNow.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
                Machine = MachineInfo.Collect(),
                Git = GitInfo.Collect(RepoPaths.Root),
                Options = options.Echo(),
            };
            Log.Info($"CognitoDevice bench: {results.Machine.Describe()}; commit {results.Git.Commit}{(results.Git.Dirty == true ? " (dirty)" : "")}.");
            if (results.Machine.Configuration != "Release")
            {
                Log.Info("WARNING: this is a " + results.Machine.Configuration + " build; run with -c Release for numbers worth comparing.");
            }

            int failures = 0;
            if (!options.SkipThroughput || !options.SkipCold)
            {
                await using var endpoint = await LocalEndpoint.StartUnlimitedAsync().ConfigureAwait(false);
                Log.Info("Local endpoint (no rate limit) at " + endpoint.Url);
                if (!options.SkipThroughput)
                {
                    results.Throughput = await ThroughputBench.RunAsync(endpoint, options).ConfigureAwait(false);
                    if (!results.Throughput.AllChecksPassed) failures++;
                    results.Pump = PumpBench.Run(endpoint, options.Quick ? 2000 : 5000);
                }
                if (!options.SkipCold)
                {
                    results.ColdStart = await ColdStartBench.RunColdStartAsync(endpoint, options).ConfigureAwait(false);
                    results.AssemblyLoad = await ColdStartBench.RunAssemblyLoadAsync(options).ConfigureAwait(false);
                    if (!results.ColdStart.AllChecksPassed || !results.AssemblyLoad.AllChecksPassed) failures++;
                }
            }
            PwshInstall? pwsh = null;
            if (!options.SkipPwsh)
            {
                (pwsh, results.PwshProblem) = await PwshInstall.LocateAsync().ConfigureAwait(false);
                if (pwsh is null)
                {
                    Log.Info("PowerShell part skipped: " + results.PwshProblem);
                    failures++;
                }
                else
                {
                    await using var endpoint = await LocalEndpoint.StartUnlimitedAsync().ConfigureAwait(false);
                    Log.Info("Local endpoint for PowerShell (no rate limit) at " + endpoint.Url);
                    try
                    {
                        results.Pwsh = await PwshBench.RunAsync(endpoint, options, pwsh).ConfigureAwait(false);
                        if (!options.SkipCold) results.Pwsh.Fresh = await PwshBench.RunFreshAsync(endpoint, options, pwsh).ConfigureAwait(false);
                    }
                    catch (InvalidOperationException ex)
                    {
                        results.PwshProblem = ex.Message;
                        Log.Info("PowerShell part failed: " + ex.Message);
                    }
                    if (results.Pwsh is null || !results.Pwsh.AllChecksPassed || results.PwshProblem is not null) failures++;
                }
            }
            if (!options.SkipQuota)
            {
                results.Quota = await QuotaBench.RunAsync(options, pwsh).ConfigureAwait(false);
                if (!results.Quota.AllChecksPassed) failures++;
            }

            results.TotalSeconds = total.Elapsed.TotalSeconds;
            results.Machine.LoadAverageAtEnd = MachineInfo.LoadAverage();
            string outPath = options.OutPath;
            Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
            File.WriteAllText(outPath, ResultsJson.Serialize(results));
            Console.Write(MarkdownReport.Render(results));
            Console.WriteLine();
            Console.WriteLine("JSON: " + outPath);
            Log.Info($"Done in {results.TotalSeconds:0.0} s; JSON written to {outPath}.");
            if (failures > 0)
            {
                Log.Info("Some checks FAILED (see the report).");
                return 1;
            }
            return 0;
        }
    }
}
