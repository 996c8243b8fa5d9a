using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint;
using CognitoDevice.Operations;
using CognitoDevice.Protocol;
using CognitoDevice.Runtime;
using CognitoDevice.Tests.EndToEnd;
using Xunit;
using Xunit.Abstractions;

namespace CognitoDevice.Tests.Reliability
{
    /// <summary>
    /// Living within Cognito's 25 requests/second quota (a smaller run than the benchmark's 1 000 devices):
    /// every device ends forgotten or as exactly one error, and with adaptive pacing none is lost.
    /// </summary>
    public sealed class QuotaTests
    {
        private readonly ITestOutputHelper _output;

        public QuotaTests(ITestOutputHelper output) => _output = output;

        private async Task<(int Forgotten, int Errors, int Throttled, TimeSpan Elapsed)> RemoveAll(bool adaptive, int devices, int attempts)
        {
            await using var cognito = await LocalCognito.StartAsync(new LocalCognitoOptions { RequestsPerSecond = 25 });
            var s = new Scenario(cognito, devices);
            var settings = CognitoDevice.Configuration.CognitoSettings.Load(cognito.Url.ToString(), null, _ => null, null);
            var client = new CognitoClient(ModuleRuntime.Http, new RetryStrategy(attempts, new RetryQuota()), ModuleRuntime.UserAgent,
                adaptive ? new AdaptivePacer() : null);
            var session = new DeviceSession(settings, client, s.Token, () => throw new InvalidOperationException());
            int forgotten = 0, errors = 0;
            var watch = Stopwatch.StartNew();
            foreach (StoredDevice d in s.Devices)
            {
                try
                {
                    await session.ForgetDeviceAsync(s.TokenTarget(d.DeviceKey), null, CancellationToken.None);
                    forgotten++;
                    Assert.Null(cognito.State.FindDevice(s.User, d.DeviceKey));
                }
                catch (TooManyRequestsException)
                {
                    errors++;
                    Assert.NotNull(cognito.State.FindDevice(s.User, d.DeviceKey));
                }
            }
            int throttled = cognito.Requests.Snapshot().Count(r => r.ErrorCode == "TooManyRequestsException");
            Assert.Equal(devices, forgotten + errors);
            Assert.Equal(devices - forgotten, cognito.State.Devices(s.User).Count);
            _output.WriteLine($"adaptive={adaptive} attempts={attempts}: {forgotten} forgotten, {errors} errors, {throttled} throttled answers, {watch.Elapsed.TotalSeconds:0.0} s");
            return (forgotten, errors, throttled, watch.Elapsed);
        }

        [Fact]
        public async Task Adaptive_pacing_forgets_every_device_within_the_quota()
        {
            var result = await RemoveAll(adaptive: true, devices: 150, attempts: 3);
            Assert.Equal(150, result.Forgotten);
            Assert.Equal(0, result.Errors);
            // 150 at 25/s is 6 s at best (less the initial burst); paced, it stays well under twice that.
            Assert.InRange(result.Elapsed.TotalSeconds, 4.5, 20);
        }

        [Fact]
        public async Task Standard_mode_accounts_for_every_device()
        {
            var result = await RemoveAll(adaptive: false, devices: 150, attempts: 3);
            Assert.True(result.Throttled > 0, "the quota must have been hit for this test to mean anything");
        }
    }
}
