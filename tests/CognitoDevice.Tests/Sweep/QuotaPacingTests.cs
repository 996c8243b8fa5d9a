using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Protocol;
using Xunit;

namespace CognitoDevice.Tests.Sweep
{
    /// <summary>Pacing to Cognito's quotas on a virtual clock: slots 1/rate apart, per user, AIMD after throttling, overrides.</summary>
    public sealed class QuotaPacingTests
    {
        /// <summary>A virtual clock: a delay advances it instead of sleeping (one caller at a time).</summary>
        private sealed class VirtualTime
        {
            public double Now;

            public Task Delay(TimeSpan wait, CancellationToken ct)
            {
                Now += wait.TotalSeconds;
                return Task.CompletedTask;
            }
        }

        private static async Task<List<double>> SendTimes(QuotaPacing pacing, VirtualTime time, string operation, string? user, int count)
        {
            var times = new List<double>();
            for (int i = 0; i < count; i++)
            {
                IRequestPacer p = pacing.For(operation, user);
                await p.WaitAsync(CancellationToken.None);
                times.Add(time.Now);
                p.OnResponse(false);
            }
            return times;
        }

        [Theory]
        [InlineData("AdminForgetDevice", 25)]
        [InlineData("AdminUpdateDeviceStatus", 25)]
        [InlineData("ForgetDevice", 25)]
        [InlineData("AdminListDevices", 50)]
        [InlineData("GetDevice", 50)]
        [InlineData("ListUsers", 30)]
        [InlineData("DescribeUserPool", 15)]
        public async Task Calls_of_a_category_go_at_its_default_quota(string operation, double quota)
        {
            var time = new VirtualTime();
            var pacing = new QuotaPacing(secondsClock: () => time.Now, delay: time.Delay);
            List<double> times = await SendTimes(pacing, time, operation, null, 1000);
            double rate = (times.Count - 1) / (times[^1] - times[0]);
            Assert.InRange(rate, quota * 0.99, quota * 1.0001);
            // Never more than the quota in any one-second window.
            for (int i = 0; i < times.Count; i++) Assert.True(times.Count(t => t >= times[i] && t < times[i] + 1) <= quota + 1);
        }

        [Fact]
        public async Task Categories_are_independent_and_shared_by_every_caller()
        {
            var time = new VirtualTime();
            var pacing = new QuotaPacing(secondsClock: () => time.Now, delay: time.Delay);
            await SendTimes(pacing, time, "AdminForgetDevice", null, 26); // one second of writes
            double before = time.Now;
            await SendTimes(pacing, time, "AdminListDevices", null, 1); // reads have their own schedule
            Assert.Equal(before, time.Now);
            await SendTimes(pacing, time, "AdminUpdateDeviceStatus", null, 1); // same category as the forgets: waits
            Assert.True(time.Now > before);
            await SendTimes(pacing, time, "AdminCreateUser", null, 50); // not a paced operation
        }

        [Fact]
        public async Task One_user_gets_at_most_ten_writes_a_second()
        {
            var time = new VirtualTime();
            var pacing = new QuotaPacing(secondsClock: () => time.Now, delay: time.Delay);
            List<double> alice = await SendTimes(pacing, time, "AdminForgetDevice", "pool\nalice", 101);
            Assert.InRange(alice[^1] - alice[0], 9.9, 10.1);
            double t = time.Now;
            await SendTimes(pacing, time, "AdminForgetDevice", "pool\nbob", 1); // another user: only the category applies
            Assert.InRange(time.Now - t, 0, 1.0 / 25 + 1e-9);
        }

        [Fact]
        public async Task Throttling_lowers_the_rate_and_successes_bring_it_back()
        {
            var time = new VirtualTime();
            var pacing = new QuotaPacing(secondsClock: () => time.Now, delay: time.Delay);
            IRequestPacer p = pacing.For("AdminForgetDevice", null);
            p.OnResponse(true);
            Assert.Equal(25 * 0.7, pacing.CurrentRate("UserResourceUpdate")!.Value, 6);
            p.OnResponse(true);
            Assert.Equal(25 * 0.49, pacing.CurrentRate("UserResourceUpdate")!.Value, 6);
            for (int i = 0; i < 100; i++) p.OnResponse(false);
            Assert.Equal(25, pacing.CurrentRate("UserResourceUpdate"));
            Assert.Equal(50, pacing.CurrentRate("UserResourceRead")); // untouched
        }

        [Fact]
        public void Rates_come_from_COGNITODEVICE_QUOTA_variables()
        {
            var env = new Dictionary<string, string>
            {
                ["COGNITODEVICE_QUOTA_USERRESOURCEUPDATE"] = "120",
                ["COGNITODEVICE_QUOTA_USERLIST"] = " 0 ",
                ["COGNITODEVICE_QUOTA_PERUSERWRITE"] = "12.5",
            };
            Dictionary<string, double> rates = QuotaPacing.RatesFromEnvironment(n => env.TryGetValue(n, out string? v) ? v : null);
            Assert.Equal(new Dictionary<string, double> { ["UserResourceUpdate"] = 120, ["UserList"] = 0, ["PerUserWrite"] = 12.5 }, rates);
            var pacing = new QuotaPacing(rates);
            Assert.Equal(120, pacing.Rates["UserResourceUpdate"]);
            Assert.Equal(50, pacing.Rates["UserResourceRead"]);
            Assert.Null(pacing.CurrentRate("UserList")); // 0: not paced
        }

        [Theory]
        [InlineData("fast")]
        [InlineData("-1")]
        [InlineData("1e999")]
        public void A_quota_variable_that_is_not_a_rate_is_a_configuration_error(string value)
        {
            var e = Assert.Throws<CognitoDeviceConfigurationException>(() =>
                QuotaPacing.RatesFromEnvironment(n => n == "COGNITODEVICE_QUOTA_USERRESOURCEREAD" ? value : null));
            Assert.Equal("QuotaInvalid", e.ErrorCode);
            Assert.Contains("COGNITODEVICE_QUOTA_USERRESOURCEREAD", e.Message);
        }

        [Fact]
        public async Task Concurrent_callers_share_the_schedule_in_real_time()
        {
            var pacing = new QuotaPacing(new Dictionary<string, double> { ["UserResourceRead"] = 200 });
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                for (int i = 0; i < 25; i++) await pacing.For("AdminListDevices", null).WaitAsync(CancellationToken.None);
            })));
            // 200 calls at 200/s: about a second (the first tenth of a second may be caught up at once).
            Assert.InRange(watch.Elapsed.TotalSeconds, 0.85, 10);
        }
    }
}
