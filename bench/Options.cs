using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace CognitoDevice.Bench
{
    /// <summary>Command-line options of the parent run.</summary>
    internal sealed class BenchOptions
    {
        public const string Usage =
@"Usage: dotnet run -c Release --project bench -- [options]

  --sizes 1,100,10000     device counts for the sequential throughput comparison (module vs. floor)
  --rounds 5              minimum rounds per size (small sizes get more: >= 3000 calls per side, <= 500 rounds);
                          medians over rounds are reported
  --block 250             calls per block; module and floor blocks alternate ABBA within a round and a side's
                          time is the sum of its blocks (0 = two whole back-to-back runs per round)
  --warmup 5000           warm-up calls per side before any timed run (not counted; 200 leave the JIT half-way)
  --cold-runs 5           repetitions of each cold-start and assembly-load child (median reported)
  --quota-devices 1000    devices removed in each quota scenario
  --quota-rps 25          the local endpoint's account-wide rate limit for the quota scenarios
  --quota-timeout 300     upper bound in seconds for one quota scenario (the child stops there)
  --quota-all-variants    also run the AWS_MAX_ATTEMPTS=10 variants when the 3-attempt scenario lost nothing
  --quick                 smoke run (under 2 minutes): sizes 1,100,1000, quota 200 devices, 3 rounds, 2000 warm-up
                          calls, 3 cold runs; PowerShell: 200 devices, 3 rounds, listings of 1000 and 10000 twice
  --skip-throughput       skip part 1
  --skip-cold             skip part 2 (cold start, assembly load)
  --skip-quota            skip part 3
  --skip-pwsh             skip part 4 (the cmdlets in the pinned pwsh, and the quota runs through the cmdlet)
  --pwsh-devices 1000     devices per PowerShell removal scenario and round
  --pwsh-rounds 7         rounds of the PowerShell removal scenarios (each with the floor before and after)
  --pwsh-list-sizes 1000,10000,30000
                          devices of the users listed by Get-CognitoDevice (memory is judged between the two largest)
  --out PATH              JSON results (default bench/results/latest.json in the repository)
  -h, --help              this text

All traffic goes to the in-process local endpoint on 127.0.0.1. Children are started with the same dotnet host,
AWS_EC2_METADATA_DISABLED=true, no other AWS_* variable unless a scenario sets it, and HOME set to an empty
directory.";

        public int[] Sizes { get; private set; } = { 1, 100, 10_000 };

        public int Rounds { get; private set; } = 5;

        /// <summary>Calls per interleaved block; 0 = two whole runs per round.</summary>
        public int Block { get; private set; } = 250;

        public int Warmup { get; private set; } = 5000;

        public int ColdRuns { get; private set; } = 5;

        public int QuotaDevices { get; private set; } = 1000;

        public double QuotaRps { get; private set; } = 25;

        public int QuotaTimeoutSeconds { get; private set; } = 300;

        public bool Quick { get; private set; }

        /// <summary>Run the 10-attempt variants even when the 3-attempt scenario lost nothing.</summary>
        public bool QuotaAllVariants { get; private set; }

        public bool SkipThroughput { get; private set; }

        public bool SkipCold { get; private set; }

        public bool SkipQuota { get; private set; }

        public bool SkipPwsh { get; private set; }

        public int PwshDevices { get; private set; } = 1000;

        public int PwshRounds { get; private set; } = 7;

        public int[] PwshListSizes { get; private set; } = { 1000, 10_000, 30_000 };

        public int PwshListRounds { get; private set; } = 3;

        public bool Help { get; private set; }

        public string OutPath { get; private set; } = Path.Combine(RepoPaths.Root, "bench", "results", "latest.json");

        public static BenchOptions Parse(string[] args)
        {
            var o = new BenchOptions();
            bool sizesGiven = false, quotaGiven = false, coldGiven = false, roundsGiven = false, warmupGiven = false, pwshDevicesGiven = false, pwshRoundsGiven = false;
            for (int i = 0; i < args.Length; i++)
            {
                string a = args[i];
                string Next()
                {
                    if (i + 1 >= args.Length) throw new ArgumentException(a + " needs a value.");
                    return args[++i];
                }
                switch (a)
                {
                    case "--sizes":
                        o.Sizes = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                            .Select(s => PositiveInt(a, s)).ToArray();
                        if (o.Sizes.Length == 0) throw new ArgumentException("--sizes needs at least one size.");
                        sizesGiven = true;
                        break;
                    case "--rounds": o.Rounds = PositiveInt(a, Next()); roundsGiven = true; break;
                    case "--block":
                        if (!int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out int b) || b < 0) throw new ArgumentException("--block must be a whole number >= 0.");
                        o.Block = b;
                        break;
                    case "--warmup": o.Warmup = PositiveInt(a, Next()); warmupGiven = true; break;
                    case "--cold-runs": o.ColdRuns = PositiveInt(a, Next()); coldGiven = true; break;
                    case "--quota-devices": o.QuotaDevices = PositiveInt(a, Next()); quotaGiven = true; break;
                    case "--quota-rps":
                        if (!double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out double rps) || !(rps > 0) || rps > 10_000)
                        {
                            throw new ArgumentException("--quota-rps must be a number above 0.");
                        }
                        o.QuotaRps = rps;
                        break;
                    case "--quota-timeout": o.QuotaTimeoutSeconds = PositiveInt(a, Next()); break;
                    case "--quick": o.Quick = true; break;
                    case "--quota-all-variants": o.QuotaAllVariants = true; break;
                    case "--skip-throughput": o.SkipThroughput = true; break;
                    case "--skip-cold": o.SkipCold = true; break;
                    case "--skip-quota": o.SkipQuota = true; break;
                    case "--skip-pwsh": o.SkipPwsh = true; break;
                    case "--pwsh-devices": o.PwshDevices = PositiveInt(a, Next()); pwshDevicesGiven = true; break;
                    case "--pwsh-rounds": o.PwshRounds = PositiveInt(a, Next()); pwshRoundsGiven = true; break;
                    case "--pwsh-list-sizes":
                        o.PwshListSizes = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                            .Select(x => PositiveInt(a, x)).OrderBy(x => x).ToArray();
                        if (o.PwshListSizes.Length == 0 || o.PwshListSizes[^1] > 100_000) throw new ArgumentException("--pwsh-list-sizes: 1 to 100000 devices.");
                        break;
                    case "--out": o.OutPath = Path.GetFullPath(Next()); break;
                    case "-h":
                    case "--help": o.Help = true; break;
                    default: throw new ArgumentException("unknown option '" + a + "'.");
                }
            }
            if (o.Quick)
            {
                if (!sizesGiven) o.Sizes = new[] { 1, 100, 1000 };
                if (!quotaGiven) o.QuotaDevices = 200;
                if (!coldGiven) o.ColdRuns = 3;
                if (!roundsGiven) o.Rounds = 3;
                if (!warmupGiven) o.Warmup = 2000;
                if (!pwshDevicesGiven) o.PwshDevices = 200;
                if (!pwshRoundsGiven) o.PwshRounds = 3;
                o.PwshListRounds = 2;
            }
            if (o.Sizes.Any(s => s > 100_000)) throw new ArgumentException("sizes above 100000 are not supported (bounded loops).");
            if (o.QuotaDevices > 20_000) throw new ArgumentException("--quota-devices above 20000 is not supported (bounded loops).");
            if (o.PwshDevices > 20_000 || o.PwshRounds > 20) throw new ArgumentException("--pwsh-devices <= 20000, --pwsh-rounds <= 20.");
            if (o.Rounds > 20 || o.ColdRuns > 50 || o.Warmup > 50_000) throw new ArgumentException("--rounds <= 20, --cold-runs <= 50, --warmup <= 50000.");
            if (o.QuotaTimeoutSeconds > 3600) throw new ArgumentException("--quota-timeout <= 3600.");
            return o;
        }

        private static int PositiveInt(string option, string value)
        {
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1) return n;
            throw new ArgumentException(option + ": '" + value + "' is not a whole number >= 1.");
        }

        public Dictionary<string, object> Echo() => new Dictionary<string, object>
        {
            ["sizes"] = Sizes,
            ["rounds"] = Rounds,
            ["warmup"] = Warmup,
            ["block"] = Block,
            ["coldRuns"] = ColdRuns,
            ["quotaDevices"] = QuotaDevices,
            ["quotaRps"] = QuotaRps,
            ["quotaTimeoutSeconds"] = QuotaTimeoutSeconds,
            ["quick"] = Quick,
            ["quotaAllVariants"] = QuotaAllVariants,
            ["skipThroughput"] = SkipThroughput,
            ["skipCold"] = SkipCold,
            ["skipQuota"] = SkipQuota,
            ["skipPwsh"] = SkipPwsh,
            ["pwshDevices"] = PwshDevices,
            ["pwshRounds"] = PwshRounds,
            ["pwshListSizes"] = PwshListSizes,
            ["pwshListRounds"] = PwshListRounds,
        };
    }
}
