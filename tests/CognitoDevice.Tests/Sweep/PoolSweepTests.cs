using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Errors;
using CognitoDevice.Operations;
using Xunit;

namespace CognitoDevice.Tests.Sweep
{
    /// <summary>The sweep engine with scripted ListUsers/AdminListDevices: order, bounds, stopping, errors, resumption.</summary>
    public sealed class PoolSweepTests
    {
        private const string Pool = "eu-west-1_Sweep1234";

        /// <summary>A scripted pool: users u000..uNNN, user i has i % 4 devices; answers arrive in random order.</summary>
        private sealed class FakePool
        {
            private readonly int _users;
            private readonly int _pageSize;
            private readonly Random _random = new Random(5);
            private int _inFlight;

            public FakePool(int users, int pageSize = 60)
            {
                _users = users;
                _pageSize = pageSize;
            }

            public int MaxInFlight;
            public int DeviceCalls;
            public int UserPages;
            public int CancelledCalls;
            public Func<string, Exception?>? FailUser;
            public Func<int, Exception?>? FailPage;
            public TimeSpan Latency = TimeSpan.FromMilliseconds(2);
            public ConcurrentQueue<string> Started { get; } = new ConcurrentQueue<string>();

            public static string Name(int i) => "u" + i.ToString("000");

            public static int DeviceCount(string user) => int.Parse(user.Substring(1)) % 4;

            public async Task<UserPage> ListUsers(string? token, Action<string> verbose, CancellationToken ct)
            {
                int start = token is null ? 0 : int.Parse(token.Substring(1));
                Interlocked.Increment(ref UserPages);
                await Task.Delay(1, ct);
                if (FailPage?.Invoke(start) is Exception e) throw e;
                verbose("page at " + start);
                var names = Enumerable.Range(start, Math.Min(_pageSize, _users - start)).Select(Name).ToList();
                return new UserPage(names, start + _pageSize < _users ? "p" + (start + _pageSize) : null);
            }

            public async Task<IReadOnlyList<Device>> ListDevices(string user, Action<string> verbose, CancellationToken ct)
            {
                Started.Enqueue(user);
                Interlocked.Increment(ref DeviceCalls);
                int now = Interlocked.Increment(ref _inFlight);
                lock (this) MaxInFlight = Math.Max(MaxInFlight, now);
                try
                {
                    int jitter;
                    lock (_random) jitter = _random.Next(0, 4);
                    await Task.Delay(Latency + TimeSpan.FromMilliseconds(jitter), ct);
                    if (FailUser?.Invoke(user) is Exception e) throw e;
                    return Enumerable.Range(0, DeviceCount(user)).Select(k => Device(user, k)).ToList();
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref CancelledCalls);
                    throw;
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            }

            public PoolSweep Sweep(string? resume = null, string? filter = null, CancellationToken ct = default, int maxInFlight = 8, int maxBuffered = 32) =>
                new PoolSweep(Pool, filter, resume, ListUsers, ListDevices, ct, maxInFlight, maxBuffered);
        }

        private static Device Device(string user, int k) =>
            new Device("eu-west-1_" + user + "-" + k, new Dictionary<string, string?>(), null, null, null, "eu-west-1", Pool, user);

        private static IEnumerable<string> ExpectedKeys(int users, int from = 0) =>
            Enumerable.Range(from, users - from).Select(FakePool.Name).SelectMany(u => Enumerable.Range(0, FakePool.DeviceCount(u)).Select(k => "eu-west-1_" + u + "-" + k));

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(60)]
        [InlineData(61)]
        [InlineData(250)]
        public async Task Delivers_every_device_once_in_user_order_with_bounded_concurrency(int users)
        {
            var pool = new FakePool(users);
            using PoolSweep sweep = pool.Sweep();
            var verbose = new List<string>();
            List<SweepItem> items = await Task.Run(() => sweep.Run(verbose.Add).ToList());
            Assert.Equal(ExpectedKeys(users), items.Select(i => i.Device!.DeviceKey));
            Assert.All(items, i => Assert.Equal(i.Username, i.Device!.Username));
            Assert.Equal(users, sweep.UsersScanned);
            Assert.Equal(items.Count, sweep.DevicesFound);
            Assert.True(sweep.Completed);
            Assert.Null(sweep.ResumeToken);
            Assert.Equal(users, pool.DeviceCalls);
            Assert.InRange(pool.MaxInFlight, 0, 8);
            Assert.Equal(Math.Max(1, (users + 59) / 60), pool.UserPages);
            Assert.Contains("page at 0", verbose); // messages of the workers reach the consumer's thread
        }

        [Fact]
        public async Task Runs_requests_concurrently_when_latency_is_real()
        {
            var pool = new FakePool(200) { Latency = TimeSpan.FromMilliseconds(20) };
            using PoolSweep sweep = pool.Sweep(maxInFlight: 8);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            int n = await Task.Run(() => sweep.Run(_ => { }).Count());
            Assert.Equal(ExpectedKeys(200).Count(), n);
            Assert.True(pool.MaxInFlight >= 4, "at most " + pool.MaxInFlight + " in flight");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(200 * 0.02 / 2), "took " + watch.Elapsed); // serial would take 4 s
        }

        [Fact]
        public async Task Stopping_the_enumeration_stops_all_work_promptly()
        {
            var pool = new FakePool(10_000) { Latency = TimeSpan.FromMilliseconds(20) };
            PoolSweep sweep = pool.Sweep(maxInFlight: 8, maxBuffered: 32);
            List<SweepItem> first = await Task.Run(() => sweep.Run(_ => { }).Take(3).ToList());
            await Task.Delay(300);
            int calls = pool.DeviceCalls;
            await Task.Delay(300);
            Assert.Equal(3, first.Count);
            Assert.Equal(calls, pool.DeviceCalls); // nothing new started after the stop
            Assert.InRange(calls, 1, 8 + 32);
            Assert.InRange(pool.UserPages, 1, 2);
            Assert.False(sweep.Completed);
            Assert.NotNull(sweep.ResumeToken);
            sweep.Dispose();
        }

        [Fact]
        public async Task Cancellation_ends_the_sweep_with_OperationCanceledException()
        {
            var pool = new FakePool(10_000) { Latency = TimeSpan.FromMilliseconds(20) };
            using var cts = new CancellationTokenSource();
            using PoolSweep sweep = pool.Sweep(ct: cts.Token);
            int seen = 0;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Run(() =>
            {
                foreach (SweepItem _ in sweep.Run(_ => { }))
                {
                    if (++seen == 5) cts.Cancel();
                }
            }));
            await Task.Delay(200);
            int calls = pool.DeviceCalls;
            await Task.Delay(200);
            Assert.Equal(calls, pool.DeviceCalls);
        }

        [Fact]
        public async Task A_user_whose_devices_cannot_be_listed_is_one_error_and_the_sweep_goes_on()
        {
            var pool = new FakePool(20)
            {
                FailUser = u => u == "u007" ? new CognitoDeviceException("TooManyRequestsException", "Rate exceeded", 400, "r", "AdminListDevices", null) : null,
            };
            using PoolSweep sweep = pool.Sweep();
            List<SweepItem> items = await Task.Run(() => sweep.Run(_ => { }).ToList());
            SweepItem failed = Assert.Single(items, i => i.Error is not null);
            Assert.Equal("u007", failed.Username);
            Assert.Equal("TooManyRequestsException", failed.Error!.ErrorCode);
            Assert.Equal(ExpectedKeys(20).Where(k => !k.Contains("u007")), items.Where(i => i.Device is not null).Select(i => i.Device!.DeviceKey));
            Assert.Equal(1, sweep.UsersFailed);
            Assert.True(sweep.Completed);
        }

        [Fact]
        public async Task A_ListUsers_failure_ends_the_sweep_with_a_token_that_resumes_after_the_last_delivered_user()
        {
            var pool = new FakePool(200, pageSize: 60)
            {
                FailPage = start => start == 120 ? new CognitoDeviceException("InternalErrorException", "boom", 500, "r", "ListUsers", null) : null,
            };
            using PoolSweep sweep = pool.Sweep();
            var delivered = new List<SweepItem>();
            var e = await Assert.ThrowsAsync<CognitoDeviceException>(() => Task.Run(() =>
            {
                foreach (SweepItem item in sweep.Run(_ => { })) delivered.Add(item);
            }));
            Assert.Equal("InternalErrorException", e.ErrorCode);
            Assert.Equal(ExpectedKeys(120), delivered.Select(i => i.Device!.DeviceKey));
            string token = sweep.ResumeToken!;
            Assert.StartsWith("cdsweep1.", token);

            var healthy = new FakePool(200, pageSize: 60);
            using PoolSweep resumed = healthy.Sweep(token);
            List<SweepItem> rest = await Task.Run(() => resumed.Run(_ => { }).ToList());
            Assert.Equal(ExpectedKeys(200, from: 120), rest.Select(i => i.Device!.DeviceKey));
            Assert.Equal(80, healthy.DeviceCalls);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(59)]
        [InlineData(60)]
        [InlineData(61)]
        [InlineData(130)]
        public async Task A_resume_token_from_any_point_continues_with_the_next_user(int stopAfterUsers)
        {
            var pool = new FakePool(130);
            string token;
            using (PoolSweep first = pool.Sweep())
            {
                var users = new HashSet<string>();
                await Task.Run(() =>
                {
                    foreach (SweepItem item in first.Run(_ => { }))
                    {
                        if (FakePool.DeviceCount(item.Username) == 0) continue;
                        users.Add(item.Username);
                        if (users.Count > 0 && first.UsersScanned >= stopAfterUsers) break;
                    }
                });
                if (first.Completed)
                {
                    Assert.Null(first.ResumeToken);
                    return;
                }
                token = first.ResumeToken!;
                stopAfterUsers = first.UsersScanned;
            }
            var again = new FakePool(130);
            using PoolSweep resumed = again.Sweep(token);
            List<SweepItem> rest = await Task.Run(() => resumed.Run(_ => { }).ToList());
            Assert.Equal(ExpectedKeys(130, from: stopAfterUsers), rest.Select(i => i.Device!.DeviceKey));
        }

        [Fact]
        public void A_resume_token_belongs_to_its_pool_and_filter()
        {
            string token = new SweepPosition("opaque-cognito-token", 7).Encode(Pool, "status = \"Enabled\"");
            SweepPosition p = SweepPosition.Decode(token, Pool, "status = \"Enabled\"");
            Assert.Equal(("opaque-cognito-token", 7), (p.PageToken, p.Skip));
            Assert.DoesNotContain("Enabled", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Pad(token.Substring(9)))));

            Assert.Equal("ResumeTokenInvalid", Assert.Throws<CognitoDeviceException>(() => SweepPosition.Decode(token, "eu-west-1_Other1234", "status = \"Enabled\"")).ErrorCode);
            Assert.Equal("ResumeTokenInvalid", Assert.Throws<CognitoDeviceException>(() => SweepPosition.Decode(token, Pool, null)).ErrorCode);
            foreach (string bad in new[] { "", "cdsweep1.", "cdsweep1.!!!", "nope", "cdsweep1.YQ" })
            {
                Assert.Equal("ResumeTokenInvalid", Assert.Throws<CognitoDeviceException>(() => SweepPosition.Decode(bad, Pool, null)).ErrorCode);
            }
            SweepPosition start = SweepPosition.Decode(SweepPosition.Start.Encode(Pool, null), Pool, "");
            Assert.Equal((null, 0), (start.PageToken, start.Skip));
        }

        private static string Pad(string b64url)
        {
            string s = b64url.Replace('-', '+').Replace('_', '/');
            return s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=');
        }

        [Fact]
        public async Task Memory_is_bounded_by_the_buffer_not_the_pool()
        {
            // A consumer that is slower than the producer: the producer waits when the buffer is full.
            var pool = new FakePool(2_000) { Latency = TimeSpan.Zero };
            using PoolSweep sweep = pool.Sweep(maxInFlight: 4, maxBuffered: 16);
            await Task.Run(() =>
            {
                foreach (SweepItem _ in sweep.Run(_ => { }).Take(10))
                {
                    Thread.Sleep(20);
                    Assert.InRange(pool.DeviceCalls - sweep.UsersScanned, 0, 16 + 4);
                }
            });
        }
    }
}
