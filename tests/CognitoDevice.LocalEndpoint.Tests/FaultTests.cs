using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Tests.Infrastructure;
using Xunit;

namespace CognitoDevice.LocalEndpoint.Tests
{
    /// <summary>Each fault kind, counts and filters. Tests in a class run one at a time, so Clear() is safe here.</summary>
    public sealed class FaultTests : IClassFixture<EndpointFixture>
    {
        private readonly EndpointFixture _fx;

        public FaultTests(EndpointFixture fx)
        {
            _fx = fx;
            _fx.Cognito.Faults.Clear();
        }

        private FaultInjector Faults => _fx.Cognito.Faults;

        private Task<ApiResponse> List(TestUser u) => _fx.Api.CallAsync("ListDevices", new { AccessToken = u.Token });

        private Task<ApiResponse> Forget(TestUser u, string key) => _fx.Api.CallAsync("ForgetDevice", new { AccessToken = u.Token, DeviceKey = key });

        private RecordedRequest LastFor(string deviceKeyOrToken) =>
            _fx.Cognito.Requests.Snapshot().Last(r => r.Body.Contains(deviceKeyOrToken, StringComparison.Ordinal));

        [Fact]
        public async Task Throttle_applies_count_times_then_is_used_up()
        {
            TestUser u = _fx.NewUser(devices: 1);
            Faults.Add(FaultRule.Throttle(count: 2));
            Asserts.Error(await List(u), "TooManyRequestsException", "Rate exceeded");
            Asserts.Error(await List(u), "TooManyRequestsException", "Rate exceeded");
            Asserts.Ok(await List(u));
            Assert.Empty(Faults.Pending);
            Assert.Equal(FaultKind.Throttle, _fx.Cognito.Requests.Snapshot().Where(r => r.Body.Contains(u.Token, StringComparison.Ordinal)).First().Fault);
        }

        [Fact]
        public async Task ThrottleNext_with_operation_filter()
        {
            TestUser u = _fx.NewUser(devices: 1);
            Faults.ThrottleNext(2, "ListDevices");
            Asserts.Ok(await _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = u.Devices[0].DeviceKey }));
            Asserts.Error(await List(u), "TooManyRequestsException");
            Asserts.Error(await List(u), "TooManyRequestsException");
            Asserts.Ok(await List(u));
        }

        [Fact]
        public async Task DeviceKey_filter_matches_the_request_body()
        {
            TestUser u = _fx.NewUser(devices: 2);
            string a = u.Devices[0].DeviceKey, b = u.Devices[1].DeviceKey;
            Faults.Add(FaultRule.InternalError(deviceKey: a));
            Asserts.Ok(await _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = b }));
            Asserts.Ok(await List(u));
            Asserts.Error(await _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = a }), "InternalErrorException", status: 500);
            Asserts.Ok(await _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = a }));
        }

        [Fact]
        public async Task InternalError_is_500_and_does_not_perform_the_operation()
        {
            TestUser u = _fx.NewUser(devices: 1);
            string key = u.Devices[0].DeviceKey;
            Faults.Add(FaultRule.InternalError(operation: "ForgetDevice"));
            Asserts.Error(await Forget(u, key), "InternalErrorException", status: 500);
            Assert.True(u.Devices[0].Exists);
        }

        [Fact]
        public async Task Status_fault_sends_an_arbitrary_answer()
        {
            TestUser u = _fx.NewUser(devices: 1);
            const string html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
            Faults.Add(FaultRule.Status(502, html, "text/html"));
            ApiResponse r = await List(u);
            Assert.Equal(502, r.Status);
            Assert.Equal(html, r.Body);
            Assert.StartsWith("text/html", r.Header("Content-Type"), StringComparison.Ordinal);

            Faults.Add(FaultRule.Status(503, "", ""));
            ApiResponse empty = await List(u);
            Assert.Equal(503, empty.Status);
            Assert.Equal("", empty.Body);
            Assert.Equal("0", empty.Header("Content-Length"));
        }

        [Fact]
        public async Task GarbageBody_is_200_not_json_and_does_not_perform_the_operation()
        {
            TestUser u = _fx.NewUser(devices: 1);
            Faults.Add(FaultRule.GarbageBody(operation: "ForgetDevice"));
            ApiResponse r = await Forget(u, u.Devices[0].DeviceKey);
            Assert.Equal(200, r.Status);
            Assert.Equal("<<not json>>", r.Body);
            Assert.ThrowsAny<System.Text.Json.JsonException>(() => r.Json);
            Assert.True(u.Devices[0].Exists);
        }

        [Fact]
        public async Task Delay_then_normal_processing()
        {
            TestUser u = _fx.NewUser(devices: 1);
            Faults.Add(FaultRule.Delay(TimeSpan.FromMilliseconds(400)));
            var sw = Stopwatch.StartNew();
            Asserts.Ok(await List(u));
            Assert.True(sw.ElapsedMilliseconds >= 380, "elapsed " + sw.ElapsedMilliseconds);
        }

        [Fact]
        public async Task Delay_stops_promptly_when_the_client_aborts()
        {
            TestUser u = _fx.NewUser(devices: 1);
            Faults.Add(FaultRule.Delay(TimeSpan.FromSeconds(60), operation: "GetDevice"));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = u.Devices[0].DeviceKey }, ct: cts.Token));
            RecordedRequest? rec = null;
            for (int i = 0; i < 100 && rec is null; i++)
            {
                rec = _fx.Cognito.Requests.Snapshot().LastOrDefault(r => r.Operation == "GetDevice" && r.Body.Contains(u.Token, StringComparison.Ordinal));
                if (rec is null) await Task.Delay(50);
            }
            Assert.NotNull(rec);
            Assert.True(rec!.ClientAborted);
            Assert.Equal(0, rec.StatusCode);
            Assert.Equal(FaultKind.Delay, rec.Fault);
            Assert.True(rec.ElapsedMs < 10_000, "the stalled request kept running for " + rec.ElapsedMs + " ms");
            Asserts.Ok(await List(u));
        }

        [Fact]
        public async Task DropBeforeProcessing_aborts_and_leaves_state_unchanged()
        {
            TestUser u = _fx.NewUser(devices: 1);
            string key = u.Devices[0].DeviceKey;
            Faults.Add(FaultRule.DropBeforeProcessing(deviceKey: key));
            await Assert.ThrowsAsync<HttpRequestException>(() => Forget(u, key));
            Assert.True(u.Devices[0].Exists);
            RecordedRequest rec = LastFor(key);
            Assert.Equal(0, rec.StatusCode);
            Assert.Equal(FaultKind.DropBeforeProcessing, rec.Fault);
        }

        [Fact]
        public async Task DropAfterProcessing_performs_the_operation_then_aborts()
        {
            TestUser u = _fx.NewUser(devices: 1);
            string key = u.Devices[0].DeviceKey;
            Faults.Add(FaultRule.DropAfterProcessing(deviceKey: key));
            await Assert.ThrowsAsync<HttpRequestException>(() => Forget(u, key));
            Assert.False(u.Devices[0].Exists);
            Assert.Equal(FaultKind.DropAfterProcessing, LastFor(key).Fault);
        }

        [Fact]
        public async Task TruncatedBody_sends_less_than_content_length()
        {
            TestUser u = _fx.NewUser(devices: 3);
            Faults.Add(FaultRule.TruncatedBody(operation: "ListDevices"));
            using HttpRequestMessage request = _fx.Api.Build("ListDevices", new { AccessToken = u.Token });
            using HttpResponseMessage response = await _fx.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(200, (int)response.StatusCode);
            long declared = response.Content.Headers.ContentLength!.Value;
            using Stream stream = await response.Content.ReadAsStreamAsync();
            var buffer = new MemoryStream();
            Exception? error = await Record.ExceptionAsync(() => stream.CopyToAsync(buffer));
            Assert.NotNull(error);
            Assert.True(error is IOException || error is HttpRequestException, error!.GetType().Name);
            Assert.True(buffer.Length < declared);
            Assert.True(buffer.Length > 0);
        }

        [Fact]
        public async Task Clear_removes_pending_rules()
        {
            TestUser u = _fx.NewUser(devices: 1);
            Faults.ThrottleNext(5);
            Assert.Single(Faults.Pending);
            Assert.Equal(5, Faults.Pending[0].Remaining);
            Faults.Clear();
            Asserts.Ok(await List(u));
        }

        [Fact]
        public void Rules_need_a_positive_count()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => Faults.Add(FaultRule.Throttle(count: 0)));
        }
    }
}
