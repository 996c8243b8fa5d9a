using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Protocol;
using Xunit;

namespace CognitoDevice.LocalEndpoint.Tests
{
    /// <summary>CognitoState as a library: seeding, thread safety, deletion.</summary>
    public sealed class StateTests : IAsyncLifetime
    {
        private LocalCognito _a = null!;
        private LocalCognito _b = null!;

        public async Task InitializeAsync()
        {
            _a = await LocalCognito.StartAsync();
            _b = await LocalCognito.StartAsync();
        }

        public async Task DisposeAsync()
        {
            await _a.DisposeAsync();
            await _b.DisposeAsync();
        }

        [Fact]
        public void Seeded_devices_are_realistic_and_deterministic_for_a_seed()
        {
            PoolUser ua = _a.State.CreateUser(_a.State.CreatePool(), "alice");
            PoolUser ub = _b.State.CreateUser(_b.State.CreatePool(), "alice");
            IReadOnlyList<StoredDevice> da = _a.State.SeedDevices(ua, 60, seed: 42);
            IReadOnlyList<StoredDevice> db = _b.State.SeedDevices(ub, 60, seed: 42);
            Assert.Equal(da.Select(d => (d.DeviceKey, d.DeviceName, d.LastIpUsed, d.Remembered)), db.Select(d => (d.DeviceKey, d.DeviceName, d.LastIpUsed, d.Remembered)));
            Assert.Equal(60, da.Select(d => d.DeviceKey).Distinct().Count());
            JavaPattern keyPattern = ServiceModel.Cognito.Shape("DeviceKeyType").CompiledPattern!;
            DateTime now = DateTime.UtcNow;
            foreach (StoredDevice d in da)
            {
                Assert.True(keyPattern.IsFullMatch(d.DeviceKey), d.DeviceKey);
                Assert.StartsWith("us-east-1_", d.DeviceKey, StringComparison.Ordinal);
                Assert.False(string.IsNullOrWhiteSpace(d.DeviceName));
                Assert.True(d.LastIpUsed!.StartsWith("203.0.113.", StringComparison.Ordinal) || d.LastIpUsed.StartsWith("198.51.100.", StringComparison.Ordinal), d.LastIpUsed);
                Assert.InRange(d.DeviceCreateDate, now.AddDays(-401), now);
                Assert.InRange(d.DeviceLastModifiedDate, d.DeviceCreateDate, d.DeviceLastAuthenticatedDate);
                Assert.True(d.DeviceLastAuthenticatedDate <= now.AddSeconds(1));
                Assert.Equal(DateTimeKind.Utc, d.DeviceCreateDate.Kind);
                Assert.Equal(0, d.DeviceCreateDate.Ticks % TimeSpan.TicksPerMillisecond);
            }
            Assert.Contains(da, d => d.Remembered);
            Assert.Contains(da, d => !d.Remembered);
            Assert.True(da.Select(d => d.DeviceName).Distinct().Count() > 5);
            Assert.True(da.Max(d => d.DeviceCreateDate) - da.Min(d => d.DeviceCreateDate) > TimeSpan.FromDays(200));
            Assert.Contains(da, d => d.LastIpUsed!.StartsWith("203.", StringComparison.Ordinal));
            Assert.Contains(da, d => d.LastIpUsed!.StartsWith("198.", StringComparison.Ordinal));
        }

        [Fact]
        public void Seeding_twice_with_one_seed_still_gives_unique_keys_across_users()
        {
            UserPool pool = _a.State.CreatePool();
            PoolUser one = _a.State.CreateUser(pool, "one");
            PoolUser two = _a.State.CreateUser(pool, "two");
            var keys = _a.State.SeedDevices(one, 10, 3).Concat(_a.State.SeedDevices(one, 10, 3)).Concat(_a.State.SeedDevices(two, 10, 3)).Select(d => d.DeviceKey).ToList();
            Assert.Equal(30, keys.Distinct().Count());
            Assert.Equal(20, _a.State.Devices(one).Count);
        }

        [Fact]
        public void Devices_are_listed_in_ordinal_key_order_and_carry_attributes()
        {
            PoolUser u = _a.State.CreateUser(_a.State.CreatePool("eu-north-1"), "bob");
            _a.State.AddDevice(u, "eu-north-1_b", "B", "203.0.113.9");
            _a.State.AddDevice(u, "eu-north-1_a", remembered: false);
            _a.State.AddDevice(u, "eu-north-1_C");
            Assert.Equal(new[] { "eu-north-1_C", "eu-north-1_a", "eu-north-1_b" }, _a.State.Devices(u).Select(d => d.DeviceKey));
            StoredDevice b = _a.State.FindDevice(u, "eu-north-1_b")!;
            Assert.Equal(new[] { "device_status", "device_name", "last_ip_used", "dev:device_remembered_status" }, b.Attributes.Select(a => a.Key));
            Assert.Equal("valid", b.DeviceStatus);
            Assert.Throws<InvalidOperationException>(() => _a.State.AddDevice(u, "eu-north-1_b"));
            Assert.Null(_a.State.FindDevice(u, "eu-north-1_zzz"));
        }

        [Fact]
        public void Deleting_users_and_pools()
        {
            UserPool pool = _a.State.CreatePool();
            PoolUser u = _a.State.CreateUser(pool, "gone");
            StoredDevice d = _a.State.AddDevice(u);
            _a.State.DeleteUser(u);
            Assert.False(u.Exists);
            Assert.False(d.Exists);
            Assert.Null(_a.State.FindUser(pool, "gone"));
            Assert.Throws<InvalidOperationException>(() => _a.State.AddDevice(u));
            PoolUser again = _a.State.CreateUser(pool, "gone");
            Assert.NotEqual(u.Sub, again.Sub);
            Assert.Equal(again, _a.State.FindUser(pool, again.Sub));
            _a.State.DeletePool(pool);
            Assert.False(pool.Exists);
            Assert.False(again.Exists);
            Assert.Null(_a.State.FindPool(pool.Id));
        }

        [Fact]
        public async Task State_is_thread_safe()
        {
            UserPool pool = _b.State.CreatePool();
            PoolUser[] users = Enumerable.Range(0, 4).Select(i => _b.State.CreateUser(pool, "u" + i)).ToArray();
            await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
            {
                for (int i = 0; i < 250; i++)
                {
                    PoolUser u = users[(t + i) % users.Length];
                    StoredDevice d = _b.State.AddDevice(u);
                    if (i % 3 == 0) _b.State.RemoveDevice(u, d.DeviceKey);
                    _ = _b.State.Devices(u).Count;
                    _ = _b.State.IssueAccessToken(u);
                }
            })));
            int total = users.Sum(u => _b.State.Devices(u).Count);
            Assert.Equal(8 * (250 - 84), total);
        }

        [Fact]
        public void Committed_credentials_file_holds_the_default_credential()
        {
            string path = Path.Combine(AppContext.BaseDirectory, LocalCredentials.CredentialsFileName);
            string[] lines = File.ReadAllLines(path);
            int profile = Array.IndexOf(lines, "[" + LocalCredentials.ProfileName + "]");
            Assert.True(profile >= 0, "profile [cognito-local] missing");
            var values = lines.Skip(profile + 1).TakeWhile(l => !l.StartsWith("[", StringComparison.Ordinal))
                .Where(l => l.Contains('=') && !l.TrimStart().StartsWith("#", StringComparison.Ordinal))
                .ToDictionary(l => l.Split('=', 2)[0].Trim(), l => l.Split('=', 2)[1].Trim());
            Assert.Equal(_a.Credentials.AccessKeyId, values["aws_access_key_id"]);
            Assert.Equal(_a.Credentials.SecretAccessKey, values["aws_secret_access_key"]);
            Assert.False(values.ContainsKey("aws_session_token"));
            Assert.Equal(LocalCredentials.Default, _a.Credentials);
        }
    }
}
