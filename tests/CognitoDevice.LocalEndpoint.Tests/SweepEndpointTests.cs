using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Protocol;
using CognitoDevice.LocalEndpoint.Quotas;
using CognitoDevice.LocalEndpoint.Tests.Infrastructure;
using Xunit;
using static CognitoDevice.LocalEndpoint.Tests.Infrastructure.ExternalTools;

namespace CognitoDevice.LocalEndpoint.Tests
{
    /// <summary>ListUsers (pages, filter), DescribeUserPool, quotas per category and per user, latency, bulk seeding.</summary>
    public sealed class SweepEndpointTests : IClassFixture<EndpointFixture>
    {
        private readonly EndpointFixture _fx;

        public SweepEndpointTests(EndpointFixture fx) => _fx = fx;

        private LocalCognito C => _fx.Cognito;

        private UserPool NewPool(int users, int maxDevices = 0)
        {
            UserPool pool = C.State.CreatePool("eu-west-1");
            C.State.SeedUsers(pool, users, "u", maxDevices, seed: 3);
            return pool;
        }

        private async Task<List<List<string>>> ListAllUsers(string poolId, int? limit = null, string? filter = null)
        {
            var pages = new List<List<string>>();
            string? token = null;
            do
            {
                var body = new Dictionary<string, object> { ["UserPoolId"] = poolId };
                if (limit.HasValue) body["Limit"] = limit.Value;
                if (filter != null) body["Filter"] = filter;
                if (token != null) body["PaginationToken"] = token;
                ApiResponse r = await _fx.Api.CallAsync("ListUsers", body, C.Credentials, "eu-west-1");
                Asserts.Ok(r);
                pages.Add(r.Json.GetProperty("Users").EnumerateArray().Select(u => u.GetProperty("Username").GetString()!).ToList());
                token = r.Json.TryGetProperty("PaginationToken", out JsonElement t) ? t.GetString() : null;
                Assert.True(pages.Count < 1000, "pagination does not end");
            }
            while (token != null);
            return pages;
        }

        [Theory]
        [InlineData(130, null, new[] { 60, 60, 10 })]
        [InlineData(120, 60, new[] { 60, 60 })]
        [InlineData(5, 2, new[] { 2, 2, 1 })]
        [InlineData(0, null, new[] { 0 })]
        public async Task ListUsers_pages_every_user_once_in_username_order(int users, int? limit, int[] pageSizes)
        {
            UserPool pool = NewPool(users);
            List<List<string>> pages = await ListAllUsers(pool.Id, limit);
            Assert.Equal(pageSizes, pages.Select(p => p.Count).ToArray());
            List<string> all = pages.SelectMany(p => p).ToList();
            Assert.Equal(C.State.Users(pool).Select(u => u.Username).OrderBy(n => n, StringComparer.Ordinal), all);
        }

        [Fact]
        public async Task ListUsers_answers_the_UserType_shape()
        {
            UserPool pool = C.State.CreatePool("eu-west-1");
            PoolUser alice = C.State.CreateUser(pool, "alice");
            C.State.SetUserAttribute(alice, "email", "alice@example.com");
            C.State.CreateUser(pool, "bob", UserState.Disabled);
            ApiResponse r = await _fx.Api.CallAsync("ListUsers", new { UserPoolId = pool.Id }, C.Credentials, "eu-west-1");
            Asserts.Ok(r);
            JsonElement[] users = r.Json.GetProperty("Users").EnumerateArray().ToArray();
            Assert.Equal("alice", users[0].GetProperty("Username").GetString());
            Dictionary<string, string> attributes = users[0].GetProperty("Attributes").EnumerateArray()
                .ToDictionary(a => a.GetProperty("Name").GetString()!, a => a.GetProperty("Value").GetString()!);
            Assert.Equal(alice.Sub, attributes["sub"]);
            Assert.Equal("alice@example.com", attributes["email"]);
            Assert.True(users[0].GetProperty("Enabled").GetBoolean());
            Assert.Equal("CONFIRMED", users[0].GetProperty("UserStatus").GetString());
            Assert.Equal(JsonValueKind.Number, users[0].GetProperty("UserCreateDate").ValueKind);
            Assert.False(users[1].GetProperty("Enabled").GetBoolean());
            Assert.False(r.Json.TryGetProperty("PaginationToken", out _));

            ApiResponse only = await _fx.Api.CallAsync("ListUsers", new { UserPoolId = pool.Id, AttributesToGet = new[] { "email" } }, C.Credentials, "eu-west-1");
            Assert.Equal(new[] { "email" }, only.Json.GetProperty("Users")[0].GetProperty("Attributes").EnumerateArray().Select(a => a.GetProperty("Name").GetString()));
        }

        [Theory]
        [InlineData("username = \"carol\"", new[] { "carol" })]
        [InlineData("username ^= \"ca\"", new[] { "carl", "carol" })]
        [InlineData("username=\"Carol\"", new string[0])]
        [InlineData("email = \"dave@example.org\"", new[] { "dave" })]
        [InlineData("email ^= \"ca\"", new[] { "carl", "carol" })]
        [InlineData("status = \"Disabled\"", new[] { "dave" })]
        [InlineData("status = \"Enabled\"", new[] { "carl", "carol", "erin" })]
        [InlineData("status = \"enabled\"", new string[0])]
        [InlineData("cognito:user_status = \"unconfirmed\"", new[] { "erin" })]
        [InlineData("  email   ^=   \"\"  ", new[] { "carl", "carol", "dave", "erin" })]
        [InlineData("", new[] { "carl", "carol", "dave", "erin" })]
        [InlineData("name = \"Say \\\"hi\\\"\"", new[] { "erin" })]
        public async Task ListUsers_filters_with_equals_and_starts_with(string filter, string[] expected)
        {
            UserPool pool = C.State.CreatePool("eu-west-1");
            foreach ((string name, UserState state) in new[] { ("carol", UserState.Confirmed), ("carl", UserState.Confirmed), ("dave", UserState.Disabled), ("erin", UserState.Unconfirmed) })
            {
                PoolUser u = C.State.CreateUser(pool, name, state);
                C.State.SetUserAttribute(u, "email", name + (name == "dave" ? "@example.org" : "@example.com"));
                if (name == "erin") C.State.SetUserAttribute(u, "name", "Say \"hi\"");
            }
            List<List<string>> pages = await ListAllUsers(pool.Id, limit: 1, filter: filter);
            Assert.Equal(expected, pages.SelectMany(p => p).ToArray());
        }

        [Theory]
        [InlineData("username")]
        [InlineData("username = carol")]
        [InlineData("username == \"carol\"")]
        [InlineData("username = \"carol")]
        [InlineData("username = \"carol\" extra")]
        [InlineData("custom:team = \"x\"")]
        [InlineData("Username = \"carol\"")]
        [InlineData("username $= \"carol\"")]
        public async Task ListUsers_rejects_a_filter_it_cannot_parse(string filter)
        {
            UserPool pool = NewPool(1);
            ApiResponse r = await _fx.Api.CallAsync("ListUsers", new { UserPoolId = pool.Id, Filter = filter }, C.Credentials, "eu-west-1");
            Asserts.Error(r, "InvalidParameterException", "Error while parsing filter.");
        }

        [Fact]
        public async Task ListUsers_errors_for_pool_signature_limit_and_token()
        {
            Asserts.Error(await _fx.Api.CallAsync("ListUsers", new { UserPoolId = "eu-west-1_Missing1" }, C.Credentials, "eu-west-1"),
                "ResourceNotFoundException", "User pool eu-west-1_Missing1 does not exist.");
            Asserts.Error(await _fx.Api.CallAsync("ListUsers", new { UserPoolId = "eu-west-1_Missing1" }), "MissingAuthenticationTokenException");
            UserPool pool = NewPool(3);
            Asserts.Error(await _fx.Api.CallAsync("ListUsers", new { UserPoolId = pool.Id, Limit = 61 }, C.Credentials, "eu-west-1"), "InvalidParameterException");
            Asserts.Error(await _fx.Api.CallAsync("ListUsers", new { UserPoolId = pool.Id, PaginationToken = "bogus.token" }, C.Credentials, "eu-west-1"),
                "InvalidParameterException", "Invalid pagination token.");
            UserPool other = NewPool(3);
            ApiResponse first = await _fx.Api.CallAsync("ListUsers", new { UserPoolId = other.Id, Limit = 1 }, C.Credentials, "eu-west-1");
            string foreign = first.Json.GetProperty("PaginationToken").GetString()!;
            Asserts.Error(await _fx.Api.CallAsync("ListUsers", new { UserPoolId = pool.Id, PaginationToken = foreign }, C.Credentials, "eu-west-1"),
                "InvalidParameterException", "Invalid pagination token.");
        }

        [Fact]
        public async Task ListUsers_token_resumes_after_the_last_user_even_when_it_was_deleted()
        {
            UserPool pool = NewPool(4);
            ApiResponse first = await _fx.Api.CallAsync("ListUsers", new { UserPoolId = pool.Id, Limit = 2 }, C.Credentials, "eu-west-1");
            string token = first.Json.GetProperty("PaginationToken").GetString()!;
            C.State.DeleteUser(C.State.FindUser(pool, "u00001")!);
            ApiResponse next = await _fx.Api.CallAsync("ListUsers", new { UserPoolId = pool.Id, PaginationToken = token }, C.Credentials, "eu-west-1");
            Assert.Equal(new[] { "u00002", "u00003" }, next.Json.GetProperty("Users").EnumerateArray().Select(u => u.GetProperty("Username").GetString()));
        }

        [Fact]
        public async Task DescribeUserPool_answers_EstimatedNumberOfUsers()
        {
            UserPool pool = NewPool(42);
            ApiResponse r = await _fx.Api.CallAsync("DescribeUserPool", new { UserPoolId = pool.Id }, C.Credentials, "eu-west-1");
            Asserts.Ok(r);
            Assert.Equal(42, r.Json.GetProperty("UserPool").GetProperty("EstimatedNumberOfUsers").GetInt32());
            Assert.Equal(pool.Id, r.Json.GetProperty("UserPool").GetProperty("Id").GetString());
            Asserts.Error(await _fx.Api.CallAsync("DescribeUserPool", new { UserPoolId = "eu-west-1_Missing1" }, C.Credentials, "eu-west-1"), "ResourceNotFoundException");
            Asserts.Error(await _fx.Api.CallAsync("DescribeUserPool", new { UserPoolId = pool.Id }, C.DeniedCredentials, "eu-west-1"), "AccessDeniedException");
        }

        [Fact]
        public void SeedUsers_is_deterministic_and_gives_0_to_max_devices()
        {
            UserPool a = C.State.CreatePool("eu-west-1");
            UserPool b = C.State.CreatePool("eu-west-1");
            int devicesA = C.State.SeedUsers(a, 200, "s", 5, seed: 9);
            int devicesB = C.State.SeedUsers(b, 200, "s", 5, seed: 9);
            Assert.Equal(devicesA, devicesB);
            int[] counts = C.State.Users(a).Select(u => C.State.Devices(u).Count).ToArray();
            Assert.Equal(devicesA, counts.Sum());
            Assert.Equal(0, counts.Min());
            Assert.Equal(5, counts.Max());
        }

        // ------------------------------------------------------------------ quotas and latency

        [Fact]
        public void QuotaLimiter_allows_one_second_of_burst_then_the_rate()
        {
            double now = 0;
            var limiter = new QuotaLimiter(new QuotaSettings { PerUserReads = null, PerUserWrites = null }, () => now);
            int allowed = 0;
            for (int i = 0; i < 100; i++) if (limiter.TryAcquire("AdminForgetDevice", null) == QuotaDecision.Allowed) allowed++;
            Assert.Equal(25, allowed); // UserResourceUpdate: burst of one second
            for (int step = 0; step < 100; step++)
            {
                now += 0.1; // 10 s in steps of 100 ms, 10 attempts each
                for (int i = 0; i < 10; i++) if (limiter.TryAcquire("AdminForgetDevice", null) == QuotaDecision.Allowed) allowed++;
            }
            Assert.InRange(allowed, 25 + 249, 25 + 251);
            Assert.Equal(QuotaDecision.CategoryExceeded, limiter.TryAcquire("AdminUpdateDeviceStatus", null));
            Assert.Equal(QuotaDecision.Allowed, limiter.TryAcquire("AdminListDevices", null)); // another category
            Assert.Equal(QuotaDecision.Allowed, limiter.TryAcquire("AdminCreateUser", null)); // not modelled: unlimited
            Assert.Equal(100 + 1000 - allowed, limiter.Counters["AdminForgetDevice"].Throttled);
        }

        [Fact]
        public void QuotaLimiter_limits_reads_and_writes_per_user_and_scales()
        {
            double now = 0;
            var limiter = new QuotaLimiter(QuotaSettings.Cognito(scale: 2), () => now);
            int reads = Enumerable.Range(0, 50).Count(_ => limiter.TryAcquire("AdminListDevices", "p\nalice") == QuotaDecision.Allowed);
            Assert.Equal(20, reads); // 10 per user, scaled ×2
            Assert.Equal(QuotaDecision.PerUserExceeded, limiter.TryAcquire("AdminGetDevice", "p\nalice"));
            Assert.Equal(QuotaDecision.Allowed, limiter.TryAcquire("AdminForgetDevice", "p\nalice")); // writes have their own bucket
            Assert.Equal(QuotaDecision.Allowed, limiter.TryAcquire("AdminListDevices", "p\nbob"));
            int users = Enumerable.Range(0, 200).Count(i => limiter.TryAcquire("AdminListDevices", "p\nu" + i) == QuotaDecision.Allowed);
            Assert.Equal(100 - 20 - 1, users); // UserResourceRead 50 ×2 = 100 in the first second, shared by every user
            limiter.Configure(null);
            Assert.Equal(QuotaDecision.Allowed, limiter.TryAcquire("AdminListDevices", "p\nalice"));
            Assert.Throws<ArgumentException>(() => limiter.Configure(new QuotaSettings { Categories = { ["Nope"] = 1 } }));
            Assert.Throws<ArgumentException>(() => limiter.Configure(QuotaSettings.Cognito(scale: 0)));
        }

        [Fact]
        public async Task Throttles_with_TooManyRequestsException_per_category_and_per_user_without_performing()
        {
            await using LocalCognito cognito = await LocalCognito.StartAsync(new LocalCognitoOptions
            {
                Quotas = new QuotaSettings { Categories = { ["UserList"] = 2, ["UserResourceUpdate"] = 100 }, PerUserWrites = 3 },
            });
            var api = new Api(_fx.Http, cognito.Url);
            UserPool pool = cognito.State.CreatePool("eu-west-1");
            cognito.State.SeedUsers(pool, 2, "q", 0);
            PoolUser user = cognito.State.FindUser(pool, "q00000")!;
            IReadOnlyList<StoredDevice> devices = cognito.State.SeedDevices(user, 6);

            var codes = new List<string>();
            for (int i = 0; i < 3; i++)
            {
                ApiResponse r = await api.CallAsync("ListUsers", new { UserPoolId = pool.Id }, cognito.Credentials, "eu-west-1");
                codes.Add(r.Status == 200 ? "ok" : r.Json.GetProperty("__type").GetString()!);
            }
            Assert.Equal(new[] { "ok", "ok", "TooManyRequestsException" }, codes);

            int forgotten = 0;
            foreach (StoredDevice d in devices)
            {
                ApiResponse r = await api.CallAsync("AdminForgetDevice", new { UserPoolId = pool.Id, Username = user.Username, DeviceKey = d.DeviceKey }, cognito.Credentials, "eu-west-1");
                if (r.Status == 200) forgotten++;
                else Asserts.Error(r, "TooManyRequestsException", "Rate exceeded");
            }
            Assert.Equal(3, forgotten); // per-user writes: 3 in the first second
            Assert.Equal(3, devices.Count(d => d.Exists)); // a throttled request changes nothing
            Assert.Equal((3L, 3L), cognito.Quotas.Counters["AdminForgetDevice"]);
        }

        [Fact]
        public async Task Latency_delays_every_service_answer_and_is_changeable()
        {
            await using LocalCognito cognito = await LocalCognito.StartAsync(new LocalCognitoOptions { Latency = TimeSpan.FromMilliseconds(150) });
            var api = new Api(_fx.Http, cognito.Url);
            UserPool pool = cognito.State.CreatePool("eu-west-1");
            var watch = Stopwatch.StartNew();
            Asserts.Ok(await api.CallAsync("DescribeUserPool", new { UserPoolId = pool.Id }, cognito.Credentials, "eu-west-1"));
            Assert.True(watch.ElapsedMilliseconds >= 145, "answered after " + watch.ElapsedMilliseconds + " ms");
            cognito.Latency = TimeSpan.Zero;
            watch.Restart();
            Asserts.Ok(await api.CallAsync("DescribeUserPool", new { UserPoolId = pool.Id }, cognito.Credentials, "eu-west-1"));
            Assert.True(watch.ElapsedMilliseconds < 145 * 10); // an order-of-magnitude guard, not a timing assertion
        }

        [Fact]
        public async Task Control_api_sets_quotas_latency_and_seeds_users_and_reset_restores_them()
        {
            await using LocalCognito cognito = await LocalCognito.StartAsync();
            async Task<JsonElement> Control(string method, string path, string? body = null)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(cognito.Url, path));
                if (body != null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                using HttpResponseMessage response = await _fx.Http.SendAsync(request);
                string text = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, text);
                using JsonDocument doc = JsonDocument.Parse(text);
                return doc.RootElement.Clone();
            }

            Assert.False((await Control("GET", "/_local/quotas")).GetProperty("enabled").GetBoolean());
            JsonElement q = await Control("POST", "/_local/quotas", "{\"scale\":0.5,\"categories\":{\"UserList\":4},\"perUserWrites\":2}");
            Assert.True(q.GetProperty("enabled").GetBoolean());
            Assert.Equal(0.5, q.GetProperty("scale").GetDouble());
            Assert.Equal(4, q.GetProperty("categories").GetProperty("UserList").GetDouble());
            Assert.Equal(50, q.GetProperty("categories").GetProperty("UserResourceRead").GetDouble());
            Assert.Equal(2, cognito.Quotas.Settings!.PerUserWrites);
            Assert.Equal(120, (await Control("POST", "/_local/latency", "{\"ms\":120}")).GetProperty("latencyMs").GetDouble());

            await Control("POST", "/_local/pools", "{\"region\":\"eu-west-1\",\"poolId\":\"eu-west-1_Seed00001\"}");
            JsonElement seeded = await Control("POST", "/_local/seed", "{\"poolId\":\"eu-west-1_Seed00001\",\"count\":30,\"maxDevices\":3,\"seed\":4}");
            Assert.Equal(30, seeded.GetProperty("users").GetInt32());
            Assert.Equal(seeded.GetProperty("devices").GetInt32(), cognito.State.Users(cognito.State.FindPool("eu-west-1_Seed00001")!).Sum(u => cognito.State.Devices(u).Count));
            await Control("POST", "/_local/users", "{\"poolId\":\"eu-west-1_Seed00001\",\"username\":\"zed\",\"email\":\"zed@example.com\"}");
            JsonElement device = await Control("POST", "/_local/devices", "{\"poolId\":\"eu-west-1_Seed00001\",\"username\":\"zed\",\"lastAuthenticatedDaysAgo\":91}");
            StoredDevice stored = cognito.State.FindDevice(cognito.State.FindUser(cognito.State.FindPool("eu-west-1_Seed00001")!, "zed")!, device.GetProperty("deviceKeys")[0].GetString()!)!;
            Assert.InRange((DateTime.UtcNow - stored.DeviceLastAuthenticatedDate).TotalDays, 90.99, 91.01);

            await Control("POST", "/_local/reset", "{}");
            Assert.False((await Control("GET", "/_local/quotas")).GetProperty("enabled").GetBoolean());
            Assert.Equal(TimeSpan.Zero, cognito.Latency);
        }

        // ------------------------------------------------------------------ real clients

        [Boto3Fact]
        public async Task Boto3_paginator_and_describe_user_pool_read_the_wire_format()
        {
            UserPool pool = NewPool(125);
            C.State.SetUserAttribute(C.State.FindUser(pool, "u00007")!, "email", "seven@example.net");
            IReadOnlyList<JsonElement> r = await Boto3Async(C.Url, C.Credentials, new[]
            {
                Call("__paginator_list_users", new { UserPoolId = pool.Id }),
                Call("__paginator_list_users", new { UserPoolId = pool.Id, Filter = "email ^= \"seven@\"" }),
                Call("describe_user_pool", new { UserPoolId = pool.Id }),
                Call("list_users", new { UserPoolId = pool.Id, Filter = "email = seven" }),
            }, region: "eu-west-1");
            Assert.True(r[0].GetProperty("ok").GetBoolean(), r[0].ToString());
            Assert.Equal(new[] { 60, 60, 5 }, r[0].GetProperty("pages").EnumerateArray().Select(p => p.GetArrayLength()));
            JsonElement first = r[0].GetProperty("users")[0];
            Assert.Equal("u00000", first.GetProperty("Username").GetString());
            Assert.Equal("CONFIRMED", first.GetProperty("UserStatus").GetString());
            Assert.StartsWith(DateTime.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), first.GetProperty("UserCreateDate").GetString()); // botocore parsed the epoch date
            Assert.Equal(new[] { "u00007" }, r[1].GetProperty("users").EnumerateArray().Select(u => u.GetProperty("Username").GetString()));
            Assert.Equal(125, r[2].GetProperty("response").GetProperty("UserPool").GetProperty("EstimatedNumberOfUsers").GetInt32());
            Assert.Equal("InvalidParameterException", r[3].GetProperty("code").GetString());
            Assert.Equal("Error while parsing filter.", r[3].GetProperty("message").GetString());
        }

        [AwsCliFact]
        public async Task Aws_cli_list_users_follows_every_page_and_describes_the_pool()
        {
            UserPool pool = NewPool(70);
            ProcessResult list = await AwsCliAsync(C.Url, C.Credentials, "eu-west-1", "list-users", "--user-pool-id", pool.Id, "--filter", "username ^= \"u0006\"");
            Assert.True(list.ExitCode == 0, list.StdErr);
            using (JsonDocument doc = JsonDocument.Parse(list.StdOut))
            {
                Assert.Equal(Enumerable.Range(60, 10).Select(i => "u000" + i), doc.RootElement.GetProperty("Users").EnumerateArray().Select(u => u.GetProperty("Username").GetString()));
            }
            ProcessResult all = await AwsCliAsync(C.Url, C.Credentials, "eu-west-1", "list-users", "--user-pool-id", pool.Id, "--page-size", "25");
            Assert.True(all.ExitCode == 0, all.StdErr);
            using (JsonDocument doc = JsonDocument.Parse(all.StdOut))
            {
                Assert.Equal(70, doc.RootElement.GetProperty("Users").GetArrayLength());
            }
            Assert.Equal(3, C.Requests.Snapshot().Count(x => x.Operation == "ListUsers" && x.Body.Contains("\"Limit\": 25", StringComparison.Ordinal) && x.Body.Contains(pool.Id, StringComparison.Ordinal)));
            ProcessResult describe = await AwsCliAsync(C.Url, C.Credentials, "eu-west-1", "describe-user-pool", "--user-pool-id", pool.Id);
            Assert.True(describe.ExitCode == 0, describe.StdErr);
            using (JsonDocument doc = JsonDocument.Parse(describe.StdOut))
            {
                Assert.Equal(70, doc.RootElement.GetProperty("UserPool").GetProperty("EstimatedNumberOfUsers").GetInt32());
            }
        }
    }
}
