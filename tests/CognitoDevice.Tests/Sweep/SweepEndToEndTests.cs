using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using CognitoDevice.Auth;
using CognitoDevice.Configuration;
using CognitoDevice.LocalEndpoint;
using CognitoDevice.LocalEndpoint.Quotas;
using CognitoDevice.Operations;
using CognitoDevice.Protocol;
using CognitoDevice.Runtime;
using Xunit;

namespace CognitoDevice.Tests.Sweep
{
    /// <summary>The sweep over real HTTP against the local endpoint with Cognito's quotas (scaled), latency and faults.</summary>
    public sealed class SweepEndToEndTests
    {
        private static (DeviceSession Session, CognitoClient Client) Session(LocalCognito cognito, QuotaPacing? pacing)
        {
            var settings = CognitoSettings.Load(cognito.Url.ToString(), null, _ => null, null);
            var client = new CognitoClient(ModuleRuntime.Http, new RetryStrategy(3, new RetryQuota()), ModuleRuntime.UserAgent,
                delay: (d, ct) => Task.Delay(TimeSpan.FromTicks(d.Ticks / 20), ct)) { Quotas = pacing };
            var session = new DeviceSession(settings, client, null,
                () => new SigV4Signer(new BasicAWSCredentials(cognito.Credentials.AccessKeyId, cognito.Credentials.SecretAccessKey)));
            return (session, client);
        }

        private static PoolSweep Sweep(DeviceSession session, string poolId, string? filter = null, string? resume = null, CancellationToken ct = default) =>
            new PoolSweep(poolId, filter, resume,
                (token, verbose, c) => session.ListUsersPageAsync(null, poolId, filter, token, verbose, c),
                (user, verbose, c) => session.ListUserDevicesAsync(null, poolId, user, verbose, c),
                ct);

        [Fact]
        public async Task Finds_every_device_at_the_quota_under_latency_and_faults_without_losing_one()
        {
            const double scale = 4; // UserResourceRead 200/s, UserList 120/s, 40 reads per user and second
            await using LocalCognito cognito = await LocalCognito.StartAsync(new LocalCognitoOptions
            {
                Quotas = QuotaSettings.Cognito(scale),
                Latency = TimeSpan.FromMilliseconds(20),
            });
            UserPool pool = cognito.State.CreatePool("eu-west-1");
            int expectedDevices = cognito.State.SeedUsers(pool, 400, "user", 5, seed: 11);
            PoolUser heavy = cognito.State.FindUser(pool, "user00003")!;
            expectedDevices += cognito.State.SeedDevices(heavy, 130, seed: 2).Count; // three AdminListDevices pages
            cognito.Faults.Add(FaultRule.Throttle(4, "AdminListDevices"));
            cognito.Faults.Add(FaultRule.InternalError(2, "AdminListDevices"));
            cognito.Faults.Add(FaultRule.Throttle(1, "ListUsers"));

            var pacing = new QuotaPacing(QuotaPacing.Defaults.ToDictionary(kv => kv.Key, kv => kv.Value * scale));
            (DeviceSession session, _) = Session(cognito, pacing);
            using PoolSweep sweep = Sweep(session, pool.Id);
            var watch = Stopwatch.StartNew();
            List<SweepItem> items = await Task.Run(() => sweep.Run(_ => { }).ToList());
            watch.Stop();

            Assert.DoesNotContain(items, i => i.Error is not null);
            var expected = cognito.State.Users(pool).OrderBy(u => u.Username, StringComparer.Ordinal)
                .SelectMany(u => cognito.State.Devices(u).Select(d => (u.Username, d.DeviceKey))).ToList();
            Assert.Equal(expectedDevices, expected.Count);
            Assert.Equal(expected, items.Select(i => (i.Username, i.Device!.DeviceKey)));
            Assert.All(items, i => Assert.Equal((pool.Id, i.Username, "eu-west-1"), (i.Device!.UserPoolId, i.Device.Username, i.Device.Region)));

            // About 400 AdminListDevices at 200/s: about 2 s; the quota is the bound, not latency (serial would need 400 × 20 ms = 8 s).
            int calls = cognito.State.Users(pool).Sum(u => Math.Max(1, (cognito.State.Devices(u).Count + 59) / 60));
            double ideal = calls / (50 * scale);
            Assert.InRange(watch.Elapsed.TotalSeconds, ideal * 0.8, ideal * 4);
            (long allowed, long throttled) = cognito.Quotas.Counters["AdminListDevices"];
            Assert.Equal(calls, allowed);
            Assert.InRange(throttled, 0, 5); // the pacer keeps below the quota: the server throttles (almost) nothing
        }

        [Fact]
        public async Task Filter_and_resume_token_reach_ListUsers()
        {
            await using LocalCognito cognito = await LocalCognito.StartAsync();
            UserPool pool = cognito.State.CreatePool("eu-west-1");
            cognito.State.SeedUsers(pool, 150, "a", 2, seed: 1);
            cognito.State.SeedUsers(pool, 10, "b", 2, seed: 1);
            (DeviceSession session, _) = Session(cognito, null);
            const string filter = "username ^= \"a\"";
            string token;
            using (PoolSweep first = Sweep(session, pool.Id, filter))
            {
                int users = 0;
                await Task.Run(() =>
                {
                    foreach (SweepItem _ in first.Run(_ => { }))
                    {
                        if (first.UsersScanned >= 70 && ++users > 0) break;
                    }
                });
                token = first.ResumeToken!;
                Assert.DoesNotContain(cognito.Credentials.SecretAccessKey, token);
            }
            using PoolSweep resumed = Sweep(session, pool.Id, filter, token);
            List<SweepItem> rest = await Task.Run(() => resumed.Run(_ => { }).ToList());
            Assert.All(rest, i => Assert.StartsWith("a", i.Username));
            Assert.Equal(Enumerable.Range(70, 80).Select(i => "a" + i.ToString("00000")).Where(u => cognito.State.Devices(cognito.State.FindUser(pool, u)!).Count > 0),
                rest.Select(i => i.Username).Distinct());
            Assert.Contains(cognito.Requests.Snapshot(), r => r.Operation == "ListUsers" && r.Body.Contains("\"Filter\":\"username ^= \\\"a\\\"\"", StringComparison.Ordinal));
        }

        [Fact]
        public async Task EstimatedNumberOfUsers_comes_from_DescribeUserPool()
        {
            await using LocalCognito cognito = await LocalCognito.StartAsync();
            UserPool pool = cognito.State.CreatePool("eu-west-1");
            cognito.State.SeedUsers(pool, 12, "e", 0);
            (DeviceSession session, _) = Session(cognito, null);
            Assert.Equal(12, await session.EstimatedNumberOfUsersAsync(null, pool.Id, null, CancellationToken.None));
        }
    }
}
