using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Tests.Infrastructure;
using Xunit;

namespace CognitoDevice.LocalEndpoint.Tests
{
    /// <summary>Limit/PaginationToken: page sizes, key-based cursors, tampering.</summary>
    public sealed class PaginationTests : IClassFixture<EndpointFixture>
    {
        private readonly EndpointFixture _fx;

        public PaginationTests(EndpointFixture fx) => _fx = fx;

        public static IEnumerable<object?[]> Cases()
        {
            foreach (int devices in new[] { 0, 1, 10, 60, 61 })
            {
                foreach (int? limit in new int?[] { null, 0, 1, 10, 60 })
                {
                    yield return new object?[] { devices, limit };
                }
            }
        }

        private async Task<(List<List<string>> Pages, List<bool> HadToken)> ReadAll(TestUser u, int? limit, bool admin)
        {
            var pages = new List<List<string>>();
            var hadToken = new List<bool>();
            string? token = null;
            do
            {
                var body = new Dictionary<string, object>();
                if (admin)
                {
                    body["UserPoolId"] = u.PoolId;
                    body["Username"] = u.Username;
                }
                else
                {
                    body["AccessToken"] = u.Token;
                }
                if (limit.HasValue) body["Limit"] = limit.Value;
                if (token != null) body["PaginationToken"] = token;
                ApiResponse r = await _fx.Api.CallAsync(admin ? "AdminListDevices" : "ListDevices", body, admin ? _fx.Cognito.Credentials : null);
                Asserts.Ok(r);
                pages.Add(Asserts.DeviceKeys(r));
                token = r.Json.TryGetProperty("PaginationToken", out JsonElement t) ? t.GetString() : null;
                hadToken.Add(token != null);
                Assert.True(pages.Count <= 100, "pagination does not end");
            }
            while (token != null);
            return (pages, hadToken);
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public async Task Pages_have_the_expected_sizes_and_cover_every_device_once(int devices, int? limit)
        {
            TestUser u = _fx.NewUser(devices);
            (List<List<string>> pages, List<bool> hadToken) = await ReadAll(u, limit, admin: devices % 2 == 1);
            int pageSize = limit is null or 0 ? LocalCognito.DefaultPageSize : limit.Value;
            int expectedPages = Math.Max(1, (devices + pageSize - 1) / pageSize);
            Assert.Equal(expectedPages, pages.Count);
            for (int i = 0; i < pages.Count; i++)
            {
                int expectedSize = i < pages.Count - 1 ? pageSize : devices - pageSize * (pages.Count - 1);
                Assert.Equal(expectedSize, pages[i].Count);
                Assert.Equal(i < pages.Count - 1, hadToken[i]); // no token on the last page
            }
            List<string> all = pages.SelectMany(p => p).ToList();
            List<string> expected = _fx.Cognito.State.Devices(u.User).Select(d => d.DeviceKey).ToList();
            Assert.Equal(expected, all); // every device once, in the stable (ordinal key) order
            Assert.Equal(expected.OrderBy(k => k, StringComparer.Ordinal), all);
        }

        [Fact]
        public async Task Deleting_devices_while_paging_neither_skips_nor_repeats()
        {
            TestUser u = _fx.NewUser(devices: 30);
            List<string> keys = _fx.Cognito.State.Devices(u.User).Select(d => d.DeviceKey).ToList();
            ApiResponse first = await _fx.Api.CallAsync("ListDevices", new { AccessToken = u.Token, Limit = 10 });
            List<string> seen = Asserts.DeviceKeys(first);
            Assert.Equal(keys.Take(10), seen);
            string token = first.Json.GetProperty("PaginationToken").GetString()!;

            // Delete the cursor device itself, an already-seen one, and two not yet seen.
            var deleted = new[] { keys[9], keys[3], keys[10], keys[15] };
            foreach (string k in deleted) Assert.True(_fx.Cognito.State.RemoveDevice(u.User, k));

            while (token != null)
            {
                ApiResponse r = await _fx.Api.CallAsync("ListDevices", new { AccessToken = u.Token, Limit = 10, PaginationToken = token });
                Asserts.Ok(r);
                seen.AddRange(Asserts.DeviceKeys(r));
                token = r.Json.TryGetProperty("PaginationToken", out JsonElement t) ? t.GetString()! : null!;
            }
            Assert.Equal(seen.Count, seen.Distinct().Count()); // no repeats
            List<string> survivors = keys.Except(deleted).ToList();
            Assert.All(survivors, k => Assert.Contains(k, seen)); // no skips
            Assert.DoesNotContain(keys[10], seen);
            Assert.DoesNotContain(keys[15], seen);
        }

        [Fact]
        public async Task Devices_added_while_paging_after_the_cursor_appear_once()
        {
            TestUser u = _fx.NewUser(devices: 15);
            ApiResponse first = await _fx.Api.CallAsync("AdminListDevices", new { UserPoolId = u.PoolId, Username = u.Username, Limit = 10 }, _fx.Cognito.Credentials);
            string token = first.Json.GetProperty("PaginationToken").GetString()!;
            StoredDevice late = _fx.Cognito.State.AddDevice(u.User, deviceKey: "us-east-1_ffffffff-ffff-4fff-8fff-ffffffffffff");
            ApiResponse second = await _fx.Api.CallAsync("AdminListDevices", new { UserPoolId = u.PoolId, Username = u.Username, Limit = 10, PaginationToken = token }, _fx.Cognito.Credentials);
            List<string> rest = Asserts.DeviceKeys(second);
            Assert.Equal(6, rest.Count);
            Assert.Equal(late.DeviceKey, rest[^1]);
            Assert.False(second.Json.TryGetProperty("PaginationToken", out _));
        }

        [Fact]
        public async Task Exactly_one_full_page_has_no_token()
        {
            TestUser u = _fx.NewUser(devices: 10);
            ApiResponse r = await _fx.Api.CallAsync("ListDevices", new { AccessToken = u.Token, Limit = 10 });
            Assert.Equal(10, Asserts.DeviceKeys(r).Count);
            Assert.False(r.Json.TryGetProperty("PaginationToken", out _));
        }

        private async Task<string> FirstToken(TestUser u)
        {
            ApiResponse r = await _fx.Api.CallAsync("ListDevices", new { AccessToken = u.Token, Limit = 1 });
            Asserts.Ok(r);
            return r.Json.GetProperty("PaginationToken").GetString()!;
        }

        private async Task AssertInvalidToken(TestUser u, string token)
        {
            Asserts.Error(await _fx.Api.CallAsync("ListDevices", new { AccessToken = u.Token, PaginationToken = token }), "InvalidParameterException", "Invalid pagination token.");
            Asserts.Error(await _fx.Api.CallAsync("AdminListDevices", new { UserPoolId = u.PoolId, Username = u.Username, PaginationToken = token }, _fx.Cognito.Credentials),
                "InvalidParameterException", "Invalid pagination token.");
        }

        [Fact]
        public async Task Tampered_tokens_are_invalid()
        {
            TestUser u = _fx.NewUser(devices: 3);
            string token = await FirstToken(u);
            int dot = token.IndexOf('.');
            // Flip one character of the payload, one of the MAC; drop the MAC; append data.
            string payloadFlip = (token[0] == 'A' ? "B" : "A") + token.Substring(1);
            string macFlip = token.Substring(0, dot + 1) + (token[dot + 1] == 'A' ? "B" : "A") + token.Substring(dot + 2);
            foreach (string bad in new[] { payloadFlip, macFlip, token.Substring(0, dot), token + "x", token + ".x" })
            {
                await AssertInvalidToken(u, bad);
            }
        }

        [Theory]
        [InlineData("garbage")]
        [InlineData("a.b")]
        [InlineData("eyJ2IjoxfQ")]
        [InlineData("=")]
        public async Task Garbage_tokens_are_invalid(string token)
        {
            TestUser u = _fx.NewUser(devices: 1);
            await AssertInvalidToken(u, token);
        }

        [Fact]
        public async Task Tokens_are_bound_to_the_user_and_the_instance()
        {
            TestUser a = _fx.NewUser(devices: 3);
            TestUser b = _fx.NewUser(devices: 3);
            await AssertInvalidToken(b, await FirstToken(a));

            PoolUser sibling = _fx.Cognito.State.CreateUser(a.Pool, EndpointFixture.UniqueName("sibling"));
            _fx.Cognito.State.SeedDevices(sibling, 3);
            TestUser samePool = TestUser.For(sibling, _fx.Cognito.State.IssueAccessToken(sibling));
            await AssertInvalidToken(samePool, await FirstToken(a));

            await using LocalCognito other = await LocalCognito.StartAsync();
            var otherApi = new Api(_fx.Http, other.Url);
            TestUser o = TestUser.Create(other, devices: 3);
            ApiResponse r = await otherApi.CallAsync("ListDevices", new { AccessToken = o.Token, Limit = 1 });
            await AssertInvalidToken(a, r.Json.GetProperty("PaginationToken").GetString()!);
        }

        [Fact]
        public async Task A_token_stays_valid_after_its_cursor_device_is_deleted()
        {
            TestUser u = _fx.NewUser(devices: 3);
            ApiResponse first = await _fx.Api.CallAsync("ListDevices", new { AccessToken = u.Token, Limit = 1 });
            string cursor = Asserts.DeviceKeys(first)[0];
            _fx.Cognito.State.RemoveDevice(u.User, cursor);
            ApiResponse next = await _fx.Api.CallAsync("ListDevices", new { AccessToken = u.Token, Limit = 5, PaginationToken = first.Json.GetProperty("PaginationToken").GetString() });
            Asserts.Ok(next);
            Assert.Equal(2, Asserts.DeviceKeys(next).Count);
        }
    }
}
