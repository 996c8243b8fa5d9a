using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Tests.Infrastructure;
using Xunit;

namespace CognitoDevice.LocalEndpoint.Tests
{
    /// <summary>The /_local/ JSON control API (own instance: the test resets the state).</summary>
    public sealed class ControlApiTests : IAsyncLifetime
    {
        private LocalCognito _cognito = null!;
        private readonly HttpClient _http = Api.CreateHttpClient();
        private Api _api = null!;

        public async Task InitializeAsync()
        {
            _cognito = await LocalCognito.StartAsync();
            _api = new Api(_http, _cognito.Url);
        }

        public async Task DisposeAsync()
        {
            _http.Dispose();
            await _cognito.DisposeAsync();
        }

        private async Task<(int Status, JsonElement Json, string Text)> Control(HttpMethod method, string path, object? body = null)
        {
            using var request = new HttpRequestMessage(method, new Uri(_cognito.Url, path));
            if (body != null) request.Content = new StringContent(Api.Json(body), Encoding.UTF8, "application/json");
            using HttpResponseMessage response = await _http.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
            using JsonDocument doc = JsonDocument.Parse(text);
            return ((int)response.StatusCode, doc.RootElement.Clone(), text);
        }

        [Fact]
        public async Task End_to_end_setup_faults_log_state_and_reset()
        {
            var pool = await Control(HttpMethod.Post, "_local/pools", new { region = "eu-west-1", poolId = "eu-west-1_Control1" });
            Assert.Equal(200, pool.Status);
            Assert.Equal("eu-west-1_Control1", pool.Json.GetProperty("poolId").GetString());
            Assert.Equal("eu-west-1", pool.Json.GetProperty("region").GetString());

            var generated = await Control(HttpMethod.Post, "_local/pools", new { region = "ap-south-1" });
            Assert.Matches("^ap-south-1_[0-9A-Za-z]{9}$", generated.Json.GetProperty("poolId").GetString());

            var user = await Control(HttpMethod.Post, "_local/users", new { poolId = "eu-west-1_Control1", username = "carol" });
            Assert.Equal(200, user.Status);
            var disabled = await Control(HttpMethod.Post, "_local/users", new { poolId = "eu-west-1_Control1", username = "dave", state = "disabled" });
            Assert.Equal("Disabled", disabled.Json.GetProperty("state").GetString());

            var devices = await Control(HttpMethod.Post, "_local/devices", new { poolId = "eu-west-1_Control1", username = "carol", count = 3, seed = 5 });
            string[] keys = devices.Json.GetProperty("deviceKeys").EnumerateArray().Select(k => k.GetString()!).ToArray();
            Assert.Equal(3, keys.Length);
            Assert.All(keys, k => Assert.StartsWith("eu-west-1_", k, StringComparison.Ordinal));

            var token = await Control(HttpMethod.Post, "_local/tokens", new { poolId = "eu-west-1_Control1", username = "carol" });
            string accessToken = token.Json.GetProperty("AccessToken").GetString()!;
            ApiResponse list = await _api.CallAsync("ListDevices", new { AccessToken = accessToken });
            Asserts.Ok(list);
            Assert.Equal(keys.OrderBy(k => k, StringComparer.Ordinal), Asserts.DeviceKeys(list));

            var fault = await Control(HttpMethod.Post, "_local/faults", new { kind = "throttle", count = 1, operation = "ListDevices" });
            Assert.Equal(1, fault.Json.GetProperty("faults").GetArrayLength());
            Asserts.Error(await _api.CallAsync("ListDevices", new { AccessToken = accessToken }), "TooManyRequestsException");
            Asserts.Ok(await _api.CallAsync("ListDevices", new { AccessToken = accessToken }));

            await Control(HttpMethod.Post, "_local/faults", new { kind = "Status", count = 2, status = 503, body = "busy", contentType = "text/plain" });
            Assert.Equal(200, (await Control(HttpMethod.Delete, "_local/faults")).Status);
            Asserts.Ok(await _api.CallAsync("ListDevices", new { AccessToken = accessToken }));

            var requests = await Control(HttpMethod.Get, "_local/requests");
            JsonElement[] entries = requests.Json.GetProperty("requests").EnumerateArray().ToArray();
            Assert.Equal(4, entries.Length);
            Assert.Equal("TooManyRequestsException", entries[1].GetProperty("errorCode").GetString());
            Assert.Equal("Throttle", entries[1].GetProperty("fault").GetString());
            Assert.Equal("ListDevices", entries[0].GetProperty("operation").GetString());
            Assert.False(string.IsNullOrEmpty(entries[0].GetProperty("connectionId").GetString()));
            Assert.DoesNotContain(accessToken, requests.Text, StringComparison.Ordinal);
            Assert.Contains("<redacted>", entries[0].GetProperty("body").GetString(), StringComparison.Ordinal);

            Assert.Equal(200, (await Control(HttpMethod.Delete, "_local/requests")).Status);
            Assert.Equal(0, (await Control(HttpMethod.Get, "_local/requests")).Json.GetProperty("requests").GetArrayLength());

            var state = await Control(HttpMethod.Get, "_local/state");
            Assert.DoesNotContain(accessToken, state.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(_cognito.Credentials.SecretAccessKey, state.Text, StringComparison.Ordinal);
            JsonElement controlPool = state.Json.GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("poolId").GetString() == "eu-west-1_Control1");
            JsonElement carol = controlPool.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("username").GetString() == "carol");
            Assert.Equal(keys.OrderBy(k => k, StringComparer.Ordinal), carol.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("deviceKey").GetString()));

            Assert.Equal(200, (await Control(HttpMethod.Post, "_local/reset")).Status);
            Assert.Equal(0, (await Control(HttpMethod.Get, "_local/state")).Json.GetProperty("pools").GetArrayLength());
            Asserts.Error(await _api.CallAsync("ListDevices", new { AccessToken = accessToken }), "ResourceNotFoundException");
        }

        [Fact]
        public async Task Tokens_with_lifetime_revoke_and_single_devices()
        {
            await Control(HttpMethod.Post, "_local/pools", new { poolId = "us-east-1_Control2" });
            await Control(HttpMethod.Post, "_local/users", new { poolId = "us-east-1_Control2", username = "erin" });
            var single = await Control(HttpMethod.Post, "_local/devices", new { poolId = "us-east-1_Control2", username = "erin", deviceKey = "us-east-1_0000aaaa", name = "Kiosk", remembered = false });
            Assert.Equal("us-east-1_0000aaaa", single.Json.GetProperty("deviceKeys")[0].GetString());

            string expired = (await Control(HttpMethod.Post, "_local/tokens", new { poolId = "us-east-1_Control2", username = "erin", lifetimeSeconds = -10 })).Json.GetProperty("AccessToken").GetString()!;
            Asserts.Error(await _api.CallAsync("ListDevices", new { AccessToken = expired }), "NotAuthorizedException", "Access Token has expired");

            string live = (await Control(HttpMethod.Post, "_local/tokens", new { poolId = "us-east-1_Control2", username = "erin" })).Json.GetProperty("AccessToken").GetString()!;
            ApiResponse get = await _api.CallAsync("GetDevice", new { AccessToken = live, DeviceKey = "us-east-1_0000aaaa" });
            Assert.Equal("Kiosk", Asserts.Attributes(get.Json.GetProperty("Device"))["device_name"]);
            await Control(HttpMethod.Post, "_local/revoke", new { poolId = "us-east-1_Control2", username = "erin" });
            Asserts.Error(await _api.CallAsync("ListDevices", new { AccessToken = live }), "NotAuthorizedException", "Access Token has been revoked");
        }

        [Fact]
        public async Task Delay_fault_via_control_api()
        {
            await Control(HttpMethod.Post, "_local/pools", new { poolId = "us-east-1_Control3" });
            await Control(HttpMethod.Post, "_local/users", new { poolId = "us-east-1_Control3", username = "fay" });
            string token = (await Control(HttpMethod.Post, "_local/tokens", new { poolId = "us-east-1_Control3", username = "fay" })).Json.GetProperty("AccessToken").GetString()!;
            await Control(HttpMethod.Post, "_local/faults", new { kind = "Delay", count = 1, delayMs = 300 });
            var sw = System.Diagnostics.Stopwatch.StartNew();
            Asserts.Ok(await _api.CallAsync("ListDevices", new { AccessToken = token }));
            Assert.True(sw.ElapsedMilliseconds >= 280);
        }

        [Theory]
        [InlineData("GET", "_local/nothing", null, 404)]
        [InlineData("POST", "_local/users", "{\"username\":\"x\"}", 400)]
        [InlineData("POST", "_local/users", "{\"poolId\":\"us-east-1_Missing\",\"username\":\"x\"}", 404)]
        [InlineData("POST", "_local/pools", "not json", 400)]
        [InlineData("POST", "_local/faults", "{\"kind\":\"Explode\"}", 400)]
        [InlineData("POST", "_local/faults", "{\"kind\":\"Delay\"}", 400)]
        [InlineData("POST", "_local/pools", "{\"deviceTrackingEnabled\":\"yes\"}", 400)]
        public async Task Control_errors(string method, string path, string? body, int status)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(_cognito.Url, path));
            if (body != null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            using HttpResponseMessage response = await _http.SendAsync(request);
            Assert.Equal(status, (int)response.StatusCode);
            using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("error").GetString()));
        }

        [Fact]
        public async Task Duplicate_pool_is_a_conflict()
        {
            Assert.Equal(200, (await Control(HttpMethod.Post, "_local/pools", new { poolId = "us-east-1_Dup" })).Status);
            Assert.Equal(409, (await Control(HttpMethod.Post, "_local/pools", new { poolId = "us-east-1_Dup" })).Status);
        }
    }
}
