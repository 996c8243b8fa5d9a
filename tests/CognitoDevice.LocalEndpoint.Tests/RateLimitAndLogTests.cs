using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Tests.Infrastructure;
using Xunit;

namespace CognitoDevice.LocalEndpoint.Tests
{
    /// <summary>The account-wide token bucket (own instance with RequestsPerSecond).</summary>
    public sealed class RateLimitTests
    {
        [Fact]
        public async Task Burst_then_Rate_exceeded_then_refill()
        {
            await using LocalCognito cognito = await LocalCognito.StartAsync(new LocalCognitoOptions { RequestsPerSecond = 4 });
            using HttpClient http = Api.CreateHttpClient();
            var api = new Api(http, cognito.Url);
            TestUser u = TestUser.Create(cognito, devices: 1);
            int ok = 0, throttled = 0;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < 10; i++)
            {
                ApiResponse r = i % 2 == 0
                    ? await api.CallAsync("ListDevices", new { AccessToken = u.Token })
                    : await api.CallAsync("AdminListDevices", new { UserPoolId = u.PoolId, Username = u.Username }, cognito.Credentials);
                if (r.Status == 200) ok++;
                else
                {
                    Asserts.Error(r, "TooManyRequestsException", "Rate exceeded");
                    throttled++;
                }
            }
            // Burst of ceil(4) = 4, plus whatever refilled (4 per second) while the loop ran.
            int refill = (int)Math.Ceiling(sw.Elapsed.TotalSeconds * 4);
            Assert.InRange(ok, 4, 4 + refill);
            Assert.Equal(10 - ok, throttled);
            if (refill < 6) Assert.True(throttled >= 6 - refill, "throttled " + throttled);
            await Task.Delay(600);
            Asserts.Ok(await api.CallAsync("ListDevices", new { AccessToken = u.Token }));
            Assert.Equal(throttled, cognito.Requests.Snapshot().Count(r => r.ErrorCode == "TooManyRequestsException"));
        }

        [Fact]
        public async Task Control_api_is_not_rate_limited()
        {
            await using LocalCognito cognito = await LocalCognito.StartAsync(new LocalCognitoOptions { RequestsPerSecond = 1 });
            using HttpClient http = Api.CreateHttpClient();
            for (int i = 0; i < 5; i++)
            {
                using HttpResponseMessage r = await http.GetAsync(new Uri(cognito.Url, "_local/state"));
                Assert.Equal(200, (int)r.StatusCode);
            }
        }
    }

    /// <summary>The request log: fields, connection ids (connection reuse), clearing.</summary>
    public sealed class RequestLogTests : IClassFixture<EndpointFixture>
    {
        private readonly EndpointFixture _fx;

        public RequestLogTests(EndpointFixture fx) => _fx = fx;

        [Fact]
        public async Task Records_every_service_request_with_its_outcome()
        {
            TestUser u = _fx.NewUser(devices: 1);
            DateTime before = DateTime.UtcNow.AddSeconds(-1);
            Asserts.Ok(await _fx.Api.CallAsync("ListDevices", new { AccessToken = u.Token, Limit = 3 }));
            Asserts.Error(await _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = "us-east-1_0000" }), "ResourceNotFoundException");
            var mine = _fx.Cognito.Requests.Snapshot().Where(r => r.Body.Contains(u.Token, StringComparison.Ordinal)).ToList();
            Assert.Equal(2, mine.Count);
            RecordedRequest ok = mine[0], err = mine[1];
            Assert.True(err.Sequence > ok.Sequence);
            Assert.Equal("POST", ok.Method);
            Assert.Equal("/", ok.Path);
            Assert.Equal("ListDevices", ok.Operation);
            Assert.Equal(Api.Prefix + "ListDevices", ok.Headers["x-amz-target"]);
            Assert.Equal(Api.JsonContentType, ok.Headers["CONTENT-TYPE"]);
            Assert.Contains("\"Limit\":3", ok.Body, StringComparison.Ordinal);
            Assert.Equal(200, ok.StatusCode);
            Assert.Null(ok.ErrorCode);
            Assert.Null(ok.Fault);
            Assert.True(ok.ElapsedMs > 0);
            Assert.InRange(ok.UtcTime, before, DateTime.UtcNow.AddSeconds(1));
            Assert.Equal(400, err.StatusCode);
            Assert.Equal("ResourceNotFoundException", err.ErrorCode);
        }

        [Fact]
        public async Task Connection_ids_show_reuse()
        {
            TestUser u = _fx.NewUser();
            using HttpClient one = Api.CreateHttpClient();
            using HttpClient two = Api.CreateHttpClient();
            var a = new Api(one, _fx.Cognito.Url);
            var b = new Api(two, _fx.Cognito.Url);
            await a.CallAsync("ListDevices", new { AccessToken = u.Token, Limit = 1 });
            await a.CallAsync("ListDevices", new { AccessToken = u.Token, Limit = 2 });
            await b.CallAsync("ListDevices", new { AccessToken = u.Token, Limit = 3 });
            using (HttpRequestMessage close = a.Build("ListDevices", new { AccessToken = u.Token, Limit = 4 }))
            {
                close.Headers.ConnectionClose = true;
                await a.SendAsync(close);
            }
            await a.CallAsync("ListDevices", new { AccessToken = u.Token, Limit = 5 });
            var byLimit = _fx.Cognito.Requests.Snapshot().Where(r => r.Body.Contains(u.Token, StringComparison.Ordinal))
                .ToDictionary(r => r.Body.Substring(r.Body.IndexOf("\"Limit\":", StringComparison.Ordinal) + 8, 1), r => r.ConnectionId);
            Assert.Equal(byLimit["1"], byLimit["2"]);   // keep-alive reuse
            Assert.NotEqual(byLimit["1"], byLimit["3"]); // another client, another connection
            Assert.Equal(byLimit["1"], byLimit["4"]);   // sent on the reused connection, which then closes
            Assert.NotEqual(byLimit["4"], byLimit["5"]); // new connection after Connection: close
        }

        [Fact]
        public async Task Control_requests_are_not_recorded_and_clear_empties_the_log()
        {
            await using LocalCognito cognito = await LocalCognito.StartAsync();
            using HttpClient http = Api.CreateHttpClient();
            var api = new Api(http, cognito.Url);
            TestUser u = TestUser.Create(cognito);
            await api.CallAsync("ListDevices", new { AccessToken = u.Token });
            (await http.GetAsync(new Uri(cognito.Url, "_local/state"))).Dispose();
            Assert.Single(cognito.Requests.Snapshot());
            cognito.Requests.Clear();
            Assert.Empty(cognito.Requests.Snapshot());
        }

        [Fact]
        public async Task Capacity_keeps_the_newest_entries_and_the_log_can_be_disabled()
        {
            await using LocalCognito cognito = await LocalCognito.StartAsync();
            using HttpClient http = Api.CreateHttpClient();
            var api = new Api(http, cognito.Url);
            TestUser u = TestUser.Create(cognito);
            cognito.Requests.Capacity = 2;
            for (int i = 1; i <= 3; i++) await api.CallAsync("ListDevices", new { AccessToken = u.Token, Limit = i });
            var kept = cognito.Requests.Snapshot();
            Assert.Equal(2, kept.Count);
            Assert.Contains("\"Limit\":2", kept[0].Body, StringComparison.Ordinal);
            Assert.Contains("\"Limit\":3", kept[1].Body, StringComparison.Ordinal);
            Assert.Throws<ArgumentOutOfRangeException>(() => cognito.Requests.Capacity = 0);

            cognito.Requests.Clear();
            cognito.Requests.Enabled = false;
            await api.CallAsync("ListDevices", new { AccessToken = u.Token });
            Assert.Empty(cognito.Requests.Snapshot());
        }
    }
}
