using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint;
using CognitoDevice.Operations;
using CognitoDevice.Runtime;

namespace CognitoDevice.Bench
{
    internal sealed class PumpResults
    {
        public int CallsPerSide { get; set; }

        public double DirectUsPerCall { get; set; }

        public double PumpedUsPerCall { get; set; }

        /// <summary>Median over blocks of (pumped − direct) for the same block pair, per call.</summary>
        public double ExtraUsPerCall { get; set; }

        public double DirectCpuUsPerCall { get; set; }

        public double PumpedCpuUsPerCall { get; set; }
    }

    /// <summary>
    /// What PipelinePump.Run costs per call over blocking on the task directly: the same DeviceSession call, on one
    /// dedicated (non-pool) thread as PowerShell's pipeline thread is, in alternating ABBA blocks against the
    /// in-process endpoint. CPU is process-wide (the endpoint included, the same for both sides), so only the
    /// difference means anything.
    /// </summary>
    internal static class PumpBench
    {
        public static PumpResults Run(LocalCognito cognito, int calls)
        {
            string url = LocalEndpoint.UrlText(cognito);
            var module = new ModuleSide(url);
            UserPool pool = cognito.State.CreatePool("us-east-1");
            PoolUser user = cognito.State.CreateUser(pool, "pumpbench");
            string token = cognito.State.IssueAccessToken(user, TimeSpan.FromHours(4));
            const int block = 250;
            int blocks = Math.Max(4, calls / block);
            string[] keys = cognito.State.SeedDevices(user, (blocks * 2 + 8) * block, seed: 77).Select(d => d.DeviceKey).ToArray();
            DeviceSession session = module.Session(token);
            int next = 0;
            var direct = new List<(double Ms, double Cpu)>();
            var pumped = new List<(double Ms, double Cpu)>();

            (double, double) Block(bool pump)
            {
                using Process self = Process.GetCurrentProcess();
                TimeSpan cpu0 = self.TotalProcessorTime;
                long t0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < block; i++)
                {
                    var target = new DeviceTarget(keys[next++], null, null);
                    if (pump)
                    {
                        PipelinePump.Run(sink => session.ForgetDeviceAsync(target, sink, CancellationToken.None), _ => { });
                    }
                    else
                    {
                        session.ForgetDeviceAsync(target, null, CancellationToken.None).GetAwaiter().GetResult();
                    }
                }
                double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                self.Refresh();
                return (ms, (self.TotalProcessorTime - cpu0).TotalMilliseconds);
            }

            var thread = new Thread(() =>
            {
                for (int w = 0; w < 4; w++)
                {
                    Block(false);
                    Block(true);
                }
                for (int b = 0; b < blocks; b++)
                {
                    bool pumpFirst = b % 2 == 1;
                    var first = Block(pumpFirst);
                    var second = Block(!pumpFirst);
                    (pumpFirst ? pumped : direct).Add(first);
                    (pumpFirst ? direct : pumped).Add(second);
                }
            }, 4 * 1024 * 1024) { IsBackground = true, Name = "pipeline-like" };
            thread.Start();
            thread.Join();

            double PerCall(double ms) => ms * 1000 / block;
            var results = new PumpResults
            {
                CallsPerSide = blocks * block,
                DirectUsPerCall = PerCall(Stats.Median(direct.Select(x => x.Ms))),
                PumpedUsPerCall = PerCall(Stats.Median(pumped.Select(x => x.Ms))),
                ExtraUsPerCall = PerCall(Stats.Median(pumped.Zip(direct, (p, d) => p.Ms - d.Ms))),
                DirectCpuUsPerCall = PerCall(Stats.Median(direct.Select(x => x.Cpu))),
                PumpedCpuUsPerCall = PerCall(Stats.Median(pumped.Select(x => x.Cpu))),
            };
            Log.Info(string.Format(CultureInfo.InvariantCulture, "Pump: direct {0:0.0} µs/call, pumped {1:0.0} µs/call (extra {2:+0.0;-0.0} µs); process CPU {3:0.0} vs {4:0.0} µs/call",
                results.DirectUsPerCall, results.PumpedUsPerCall, results.ExtraUsPerCall, results.DirectCpuUsPerCall, results.PumpedCpuUsPerCall));
            return results;
        }
    }
}
