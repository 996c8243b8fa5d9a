using System.Collections.Generic;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CognitoDevice.Bench
{
    internal sealed class BenchResults
    {
        public string Schema { get; set; } = "cognitodevice-bench/1";

        public string StartedUtc { get; set; } = "";

        public double TotalSeconds { get; set; }

        public MachineInfo Machine { get; set; } = new MachineInfo();

        public GitInfo Git { get; set; } = new GitInfo();

        public Dictionary<string, object> Options { get; set; } = new Dictionary<string, object>();

        public ThroughputResults? Throughput { get; set; }

        public ColdStartResults? ColdStart { get; set; }

        public AssemblyLoadResults? AssemblyLoad { get; set; }

        public QuotaResults? Quota { get; set; }

        /// <summary>PipelinePump.Run against blocking on the call directly (part 1c).</summary>
        public PumpResults? Pump { get; set; }

        /// <summary>Part 4: the cmdlets in the pinned pwsh, interleaved with the floor.</summary>
        public PwshResults? Pwsh { get; set; }

        /// <summary>Why part 4 did not run (null when it ran or was skipped on purpose).</summary>
        public string? PwshProblem { get; set; }
    }

    internal sealed class ThroughputResults
    {
        public string EndpointUrl { get; set; } = "";

        public string AllocationMethod { get; set; } = "";

        public int WarmupCallsPerSide { get; set; }

        public double WarmupSeconds { get; set; }

        public BreakdownResults? Breakdown { get; set; }

        public VerificationResult Verification { get; set; } = new VerificationResult();

        public List<SizeSummary> Sizes { get; set; } = new List<SizeSummary>();

        public List<string> Problems { get; set; } = new List<string>();

        public bool AllChecksPassed { get; set; }
    }

    internal sealed class VerificationResult
    {
        public int CallsPerSide { get; set; }

        public int ModuleRequests { get; set; }

        public int FloorRequests { get; set; }

        public int ModuleConnections { get; set; }

        public int FloorConnections { get; set; }

        public bool AllSucceeded { get; set; }

        public bool DevicesGone { get; set; }

        public bool BodiesIdentical { get; set; }

        public bool InvocationIdsUnique { get; set; }

        public List<string> HeaderNames { get; set; } = new List<string>();

        public List<string> HeaderDifferences { get; set; } = new List<string>();

        public bool Passed { get; set; }

        public string Summary { get; set; } = "";
    }

    internal sealed class SizeSummary
    {
        public int Size { get; set; }

        public int Rounds { get; set; }

        public SideSummary Module { get; set; } = new SideSummary();

        public SideSummary Floor { get; set; } = new SideSummary();

        /// <summary>Median over rounds of (module wall time / floor wall time) of the same round (paired).</summary>
        public double WallRatio { get; set; }

        public double OverheadPercent { get; set; }

        public double OverheadUsPerCall { get; set; }

        public double ExtraAllocatedBytesPerCall { get; set; }

        public List<double> RoundRatios { get; set; } = new List<double>();

        public List<RunMeasurement> Runs { get; set; } = new List<RunMeasurement>();
    }

    internal sealed class SideSummary
    {
        public double WallMs { get; set; }

        public double CallsPerSecond { get; set; }

        public double P50Us { get; set; }

        public double P99Us { get; set; }

        public double AllocatedBytesPerCall { get; set; }

        public int Gen0Collections { get; set; }

        public int Gen1Collections { get; set; }

        public int Gen2Collections { get; set; }
    }

    internal sealed class RunMeasurement
    {
        public string Side { get; set; } = "";

        public int Size { get; set; }

        public int Round { get; set; }

        /// <summary>Calls per block (blocks of the two sides alternate ABBA); equal to Size for whole runs.</summary>
        public int BlockSize { get; set; }

        public int Blocks { get; set; }

        public double WallMs { get; set; }

        public double CallsPerSecond { get; set; }

        public double P50Us { get; set; }

        public double P99Us { get; set; }

        public double MeanUs { get; set; }

        public double AllocatedBytesPerCall { get; set; }

        public int Gen0Collections { get; set; }

        public int Gen1Collections { get; set; }

        public int Gen2Collections { get; set; }

        public bool DevicesVerifiedGone { get; set; }

        [JsonIgnore]
        public double[] SortedLatenciesUs { get; set; } = System.Array.Empty<double>();
    }

    internal sealed class ColdRun
    {
        public double StartToExitMs { get; set; }

        public double StartToMainMs { get; set; }

        public double MainToForgottenMs { get; set; }

        public double StartToForgottenMs { get; set; }

        public int ExitCode { get; set; }

        public bool DeviceGone { get; set; }
    }

    internal sealed class ColdStartResults
    {
        public string DotnetHost { get; set; } = "";

        public string BenchDll { get; set; } = "";

        public List<ColdRun> Runs { get; set; } = new List<ColdRun>();

        public List<ColdRun> Noop { get; set; } = new List<ColdRun>();

        /// <summary>The same first request with a plain HttpClient (--cold-floor-child).</summary>
        public List<ColdRun> Floor { get; set; } = new List<ColdRun>();

        public double MedianFloorStartToForgottenMs { get; set; }

        public double MedianFloorMainToForgottenMs { get; set; }

        public double MedianFloorStartToExitMs { get; set; }

        public double MedianStartToExitMs { get; set; }

        public double MedianStartToMainMs { get; set; }

        public double MedianMainToForgottenMs { get; set; }

        public double MedianStartToForgottenMs { get; set; }

        public double MedianNoopStartToExitMs { get; set; }

        public double MedianNoopStartToMainMs { get; set; }

        public List<string> Problems { get; set; } = new List<string>();

        public bool AllChecksPassed { get; set; }
    }

    internal sealed class LoadRun
    {
        public double ModuleLoadMs { get; set; }

        public double TokenTypesMs { get; set; }

        public double TokenPathMs { get; set; }

        public double SdkLoadMs { get; set; }

        public double AdminTypesMs { get; set; }

        public double AdminPathMs { get; set; }

        public double StartToExitMs { get; set; }
    }

    internal sealed class AssemblyLoadResults
    {
        public string ModuleDirectory { get; set; } = "";

        public string HostArguments { get; set; } = "";

        public string ModuleLocation { get; set; } = "";

        /// <summary>Median incremental time of each forced type, in the order forced (the first to need an assembly pays for loading it).</summary>
        public Dictionary<string, double> MedianPerTypeMs { get; set; } = new Dictionary<string, double>();

        public string SdkLocation { get; set; } = "";

        public bool SdkLoadedOnTokenPath { get; set; }

        public List<string> TokenPathTypes { get; set; } = new List<string>(LoadChild.TokenPathTypes);

        public List<string> AdminPathTypes { get; set; } = new List<string>(LoadChild.AdminModuleTypes.Concat(LoadChild.AdminSdkTypes));

        public List<string> TokenPathAssemblies { get; set; } = new List<string>();

        public List<string> AdminPathAssemblies { get; set; } = new List<string>();

        public List<LoadRun> Runs { get; set; } = new List<LoadRun>();

        public double MedianModuleLoadMs { get; set; }

        public double MedianTokenTypesMs { get; set; }

        public double MedianTokenPathMs { get; set; }

        public double MedianSdkLoadMs { get; set; }

        public double MedianAdminTypesMs { get; set; }

        public double MedianAdminPathMs { get; set; }

        public List<string> Problems { get; set; } = new List<string>();

        public bool AllChecksPassed { get; set; }
    }

    internal sealed class QuotaResults
    {
        public string EndpointUrl { get; set; } = "";

        public double RequestsPerSecond { get; set; }

        public int Devices { get; set; }

        public double IdealSeconds { get; set; }

        public List<QuotaScenario> Scenarios { get; set; } = new List<QuotaScenario>();

        public bool AllChecksPassed { get; set; }
    }

    internal sealed class QuotaScenario
    {
        /// <summary>Who removes the devices: the module's .NET client in a bench child, or the cmdlet in a fresh pwsh.</summary>
        public string Client { get; set; } = QuotaBench.DotNetClient;

        public string Mode { get; set; } = "";

        public int MaxAttempts { get; set; }

        public List<string> Environment { get; set; } = new List<string>();

        public int Devices { get; set; }

        public double WallSeconds { get; set; }

        public double ChildStartToExitSeconds { get; set; }

        public double RequestSpanSeconds { get; set; }

        public int Removed { get; set; }

        public int RemovedPerState { get; set; }

        public int DevicesLeft { get; set; }

        public int Lost { get; set; }

        public int ErrorRecords { get; set; }

        public Dictionary<string, int> ErrorsByCode { get; set; } = new Dictionary<string, int>();

        public int InterruptedByTimeout { get; set; }

        public int NotAttempted { get; set; }

        public int TotalRequests { get; set; }

        public int SuccessfulRequests { get; set; }

        public int ThrottledResponses { get; set; }

        public int OtherFailedRequests { get; set; }

        public int ConnectionsUsed { get; set; }

        public int Retries { get; set; }

        public int RetryQuotaRefusals { get; set; }

        public double? FirstRetryQuotaRefusalSeconds { get; set; }

        public double? FirstErrorSeconds { get; set; }

        public int RetryQuotaLeft { get; set; }

        public double? PacerRateAtEnd { get; set; }

        public bool TimedOut { get; set; }

        public int EffectiveMaxAttempts { get; set; }

        public bool EffectiveAdaptive { get; set; }

        public int ChildExitCode { get; set; }

        public bool AccountingExact { get; set; }

        public List<string> Problems { get; set; } = new List<string>();
    }

    internal static class ResultsJson
    {
        private static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        public static string Serialize(BenchResults results) => JsonSerializer.Serialize(results, Options);
    }
}
