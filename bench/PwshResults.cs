using System.Collections.Generic;
using System.Linq;

namespace CognitoDevice.Bench
{
    internal sealed class PwshResults
    {
        public string PowerShellVersion { get; set; } = "";

        public string PsHome { get; set; } = "";

        public string Manifest { get; set; } = "";

        public string EndpointUrl { get; set; } = "";

        public int DevicesPerScenario { get; set; }

        public int Rounds { get; set; }

        public ScenarioSummary Floor { get; set; } = new ScenarioSummary();

        public List<ScenarioSummary> ScenarioSummaries { get; set; } = new List<ScenarioSummary>();

        public List<ListingSummary> Listing { get; set; } = new List<ListingSummary>();

        /// <summary>Growth of the cmdlet session's peak working set per device between the two largest listings.</summary>
        public double? PeakBytesPerExtraDevice { get; set; }

        public int PeakGrowthFrom { get; set; }

        public int PeakGrowthTo { get; set; }

        public FirstOneResult? FirstOne { get; set; }

        public FreshResults? Fresh { get; set; }

        public List<PwshRound> RoundData { get; set; } = new List<PwshRound>();

        public List<string> Problems { get; set; } = new List<string>();

        public bool AllChecksPassed => Problems.Count == 0 && (Fresh is null || Fresh.Problems.Count == 0);
    }

    internal sealed class Run
    {
        public string Scenario { get; set; } = "";

        public int Devices { get; set; }

        public double WallMs { get; set; }

        public double CpuMs { get; set; }

        /// <summary>The floor's wall time for the same number of devices: the mean of the floor runs just before and just after this run.</summary>
        public double FloorWallMs { get; set; }

        /// <summary>The floor process's CPU time, the same way.</summary>
        public double FloorCpuMs { get; set; }

        public double MsPerDevice => WallMs / Devices;

        public double CpuMsPerDevice => CpuMs / Devices;

        public double Ratio => WallMs / FloorWallMs;

        public double CpuRatio => CpuMs / FloorCpuMs;
    }

    internal sealed class PwshRound
    {
        public int Index { get; set; }

        /// <summary>The floor before, between and after the round's scenarios.</summary>
        public List<Run> FloorRuns { get; set; } = new List<Run>();

        public List<Run> Runs { get; set; } = new List<Run>();

        public double FloorWallMs => FloorRuns.Average(r => r.WallMs);

        public double FloorMsPerDevice => FloorRuns.Average(r => r.MsPerDevice);

        public double FloorCpuMsPerDevice => FloorRuns.Average(r => r.CpuMsPerDevice);
    }

    internal sealed class ScenarioSummary
    {
        public string Name { get; set; } = "";

        public string Command { get; set; } = "";

        public double MsPerDevice { get; set; }

        public double CpuMsPerDevice { get; set; }

        /// <summary>Median over rounds of wall time / the same round's floor wall time.</summary>
        public double Ratio { get; set; } = double.NaN;

        public List<double> RoundRatios { get; set; } = new List<double>();

        /// <summary>Median over rounds of CPU per device / the same round's floor CPU per device.</summary>
        public double CpuRatio { get; set; } = double.NaN;

        public double? Target { get; set; }
    }

    internal sealed class ListRun
    {
        public double WallMs { get; set; }

        public double CpuMs { get; set; }

        public double PeakMiB { get; set; }

        public bool PeakReset { get; set; }

        public int Requests { get; set; }
    }

    internal sealed class ListingSummary
    {
        public int Devices { get; set; }

        public int Pages { get; set; }

        public double FloorMs { get; set; }

        public double PwshMs { get; set; }

        /// <summary>One run of `Get-CognitoDevice | Measure-Object` (the count check), for what a consumer cmdlet adds.</summary>
        public double MeasureObjectMs { get; set; }

        public double Ratio { get; set; }

        public double FloorPeakMiB { get; set; }

        public double PwshPeakMiB { get; set; }

        public List<ListRun> FloorRuns { get; set; } = new List<ListRun>();

        public List<ListRun> PwshRuns { get; set; } = new List<ListRun>();
    }

    internal sealed class FirstOneResult
    {
        public int Devices { get; set; }

        public double WallMs { get; set; }

        public int ListRequests { get; set; }

        public int Returned { get; set; }
    }

    internal sealed class FreshResults
    {
        public List<double> BareMs { get; set; } = new List<double>();

        public List<double> ImportMs { get; set; } = new List<double>();

        /// <summary>Median of the per-run differences (import run − bare run of the same pair).</summary>
        public double ImportOverBareMs { get; set; }

        public List<double> ImportInProcessMs { get; set; } = new List<double>();

        public List<double> FirstForgetStartToDoneMs { get; set; } = new List<double>();

        public List<double> FirstForgetStartToScriptMs { get; set; } = new List<double>();

        public List<double> FirstForgetImportMs { get; set; } = new List<double>();

        public List<double> FirstForgetCallMs { get; set; } = new List<double>();

        /// <summary>Names of AWS SDK assemblies loaded after Import-Module alone (null: none).</summary>
        public string? SdkLoadedByImport { get; set; }

        /// <summary>Names of AWS SDK assemblies loaded after a ForgetDevice with the access token (null: none).</summary>
        public string? SdkLoadedByTokenPath { get; set; }

        public List<string> Problems { get; set; } = new List<string>();
    }
}
