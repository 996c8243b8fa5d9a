using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Errors;
using CognitoDevice.LocalEndpoint;
using CognitoDevice.Operations;
using CognitoDevice.Tests.EndToEnd;
using Xunit;

namespace CognitoDevice.Tests.Reliability
{
    /// <summary>
    /// Faults injected into a real local endpoint. For each: the right typed error or a successful retry,
    /// never a hang, never an unhandled exception.
    /// </summary>
    public sealed class FaultSuiteTests : IClassFixture<EndpointFixture>
    {
        private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(10);
        private readonly LocalCognito _cognito;

        public FaultSuiteTests(EndpointFixture fixture) => _cognito = fixture.Cognito;

        private static async Task<T> Bounded<T>(Task<T> task)
        {
            Task first = await Task.WhenAny(task, Task.Delay(NoHang));
            Assert.True(first == task, "The call did not finish within " + NoHang);
            return await task;
        }

        private async Task<(Scenario S, string Key, Exception? Error)> Forget(Func<string, FaultRule> fault, int attempts = 3, TimeSpan? attemptTimeout = null)
        {
            var s = new Scenario(_cognito);
            string key = s.Devices[0].DeviceKey;
            _cognito.Faults.Add(fault(key));
            try
            {
                await Bounded(s.Session(attempts: attempts, attemptTimeout: attemptTimeout).ForgetDeviceAsync(s.TokenTarget(key), s.VerboseSink, CancellationToken.None));
                return (s, key, null);
            }
            catch (CognitoDeviceException ex)
            {
                return (s, key, ex);
            }
        }

        [Fact]
        public async Task A_short_throttling_storm_is_ridden_out()
        {
            var (s, key, error) = await Forget(k => FaultRule.Throttle(2, "ForgetDevice", k));
            Assert.Null(error);
            Assert.Null(_cognito.State.FindDevice(s.User, key));
            Assert.Equal(2, s.Verbose.Count(m => m.Contains("failed with TooManyRequestsException")));
        }

        [Fact]
        public async Task A_long_throttling_storm_ends_as_LimitsExceeded_and_the_device_stays()
        {
            var (s, key, error) = await Forget(k => FaultRule.Throttle(3, "ForgetDevice", k));
            var ex = Assert.IsType<TooManyRequestsException>(error);
            Assert.Equal(400, ex.StatusCode);
            Assert.Equal(ErrorKind.LimitsExceeded, ErrorCatalog.KindOf(ex.ErrorCode));
            Assert.NotNull(_cognito.State.FindDevice(s.User, key));
        }

        [Fact]
        public async Task A_5xx_burst_is_retried()
        {
            var (s, key, error) = await Forget(k => FaultRule.InternalError(2, "ForgetDevice", k));
            Assert.Null(error);
            Assert.Null(_cognito.State.FindDevice(s.User, key));
        }

        [Fact]
        public async Task Persistent_503_is_a_protocol_error_after_the_attempts()
        {
            var (s, key, error) = await Forget(k => FaultRule.Status(503, "", "text/plain", 3, "ForgetDevice", k));
            var ex = Assert.IsType<CognitoDeviceException>(error);
            Assert.Equal("UnexpectedResponse", ex.ErrorCode);
            Assert.Equal(503, ex.StatusCode);
        }

        [Fact]
        public async Task A_connection_reset_before_processing_is_retried()
        {
            var (s, key, error) = await Forget(k => FaultRule.DropBeforeProcessing(1, "ForgetDevice", k));
            Assert.Null(error);
            Assert.Null(_cognito.State.FindDevice(s.User, key));
        }

        [Fact]
        public async Task A_connection_reset_after_processing_is_a_success_not_a_false_not_found()
        {
            var (s, key, error) = await Forget(k => FaultRule.DropAfterProcessing(1, "ForgetDevice", k));
            Assert.Null(error);
            Assert.Null(_cognito.State.FindDevice(s.User, key));
        }

        [Fact]
        public async Task A_stalled_response_times_out_and_the_retry_succeeds()
        {
            var watch = Stopwatch.StartNew();
            var (s, key, error) = await Forget(k => FaultRule.Delay(TimeSpan.FromSeconds(30), 1, "ForgetDevice", k), attemptTimeout: TimeSpan.FromMilliseconds(300));
            Assert.Null(error);
            Assert.Null(_cognito.State.FindDevice(s.User, key));
            Assert.Contains(s.Verbose, m => m.Contains("failed with RequestTimeout"));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
        }

        [Fact]
        public async Task A_service_that_always_stalls_is_OperationTimeout()
        {
            var (s, key, error) = await Forget(k => FaultRule.Delay(TimeSpan.FromSeconds(30), 3, "ForgetDevice", k), attemptTimeout: TimeSpan.FromMilliseconds(200));
            var ex = Assert.IsType<CognitoDeviceException>(error);
            Assert.Equal("RequestTimeout", ex.ErrorCode);
            Assert.Equal(ErrorKind.OperationTimeout, ErrorCatalog.KindOf(ex.ErrorCode));
        }

        [Fact]
        public async Task A_truncated_body_is_retried()
        {
            var s = new Scenario(_cognito);
            string key = s.Devices[0].DeviceKey;
            _cognito.Faults.Add(FaultRule.TruncatedBody(1, "GetDevice", key));
            Device d = await Bounded(s.Session().GetDeviceAsync(s.TokenTarget(key), s.VerboseSink, CancellationToken.None));
            Assert.Equal(key, d.DeviceKey);
            Assert.Contains(s.Verbose, m => m.Contains("failed with ConnectionFailure"));
        }

        [Fact]
        public async Task A_200_with_garbage_is_a_protocol_error()
        {
            var (s, key, error) = await Forget(k => FaultRule.GarbageBody(1, "ForgetDevice", k));
            var ex = Assert.IsType<CognitoDeviceException>(error);
            Assert.Equal("UnreadableResponse", ex.ErrorCode);
            Assert.Equal(ErrorKind.ProtocolError, ErrorCatalog.KindOf(ex.ErrorCode));
        }

        [Fact]
        public async Task A_proxys_HTML_error_page_is_a_protocol_error_that_says_so()
        {
            const string Html = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>";
            var (s, key, error) = await Forget(k => FaultRule.Status(502, Html, "text/html", 3, "ForgetDevice", k));
            var ex = Assert.IsType<CognitoDeviceException>(error);
            Assert.Equal("UnexpectedResponse", ex.ErrorCode);
            Assert.Contains("HTTP 502", ex.Message);
            Assert.Contains("text/html", ex.Message);
            Assert.DoesNotContain("<html>", ex.Message);
            Assert.NotNull(_cognito.State.FindDevice(s.User, key));
        }

        [Fact]
        public async Task A_proxys_HTML_page_once_is_retried_away()
        {
            var (s, key, error) = await Forget(k => FaultRule.Status(502, "<html>busy</html>", "text/html", 1, "ForgetDevice", k));
            Assert.Null(error);
        }

        [Fact]
        public async Task An_unresolvable_host_is_a_connection_error_without_any_DNS_query()
        {
            // DNS is simulated: the connect callback fails as the resolver does, so no name ever leaves the machine.
            var handler = new SocketsHttpHandler { ConnectCallback = (_, _) => throw new SocketException((int)SocketError.HostNotFound) };
            var s = new Scenario(_cognito);
            var settings = CognitoDevice.Configuration.CognitoSettings.Load("https://cognito.unresolvable.invalid/", null, _ => null, null);
            var client = new CognitoDevice.Protocol.CognitoClient(new HttpClient(handler), new CognitoDevice.Protocol.RetryStrategy(3, new CognitoDevice.Protocol.RetryQuota()), "test");
            var dns = new DeviceSession(settings, client, s.Token, () => throw new InvalidOperationException());
            var ex = await Assert.ThrowsAsync<CognitoDeviceException>(() => Bounded(dns.ForgetDeviceAsync(s.TokenTarget(s.Devices[0].DeviceKey), null, CancellationToken.None)));
            Assert.Equal("NameResolutionFailure", ex.ErrorCode);
            Assert.Equal(ErrorKind.ConnectionError, ErrorCatalog.KindOf(ex.ErrorCode));
        }

        [Fact]
        public async Task An_untrusted_TLS_certificate_is_a_security_error_and_not_retried()
        {
            await using var tls = await LocalCognito.StartAsync(new LocalCognitoOptions { UseHttps = true });
            var s = new Scenario(tls);
            var ex = await Assert.ThrowsAsync<CognitoDeviceException>(() => Bounded(s.Session(http: new HttpClient()).ForgetDeviceAsync(s.TokenTarget(s.Devices[0].DeviceKey), null, CancellationToken.None)));
            Assert.Equal("TlsFailure", ex.ErrorCode);
            Assert.Equal(ErrorKind.SecurityError, ErrorCatalog.KindOf(ex.ErrorCode));
            Assert.NotNull(tls.State.FindDevice(s.User, s.Devices[0].DeviceKey));
            Assert.Empty(tls.Requests.Snapshot()); // the token never reached an untrusted peer
        }

        [Fact]
        public async Task Cancellation_during_a_stalled_request_ends_within_a_second()
        {
            var s = new Scenario(_cognito);
            _cognito.Faults.Add(FaultRule.Delay(TimeSpan.FromSeconds(30), 1, "ForgetDevice", s.Devices[0].DeviceKey));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var watch = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => s.Session().ForgetDeviceAsync(s.TokenTarget(s.Devices[0].DeviceKey), null, cts.Token));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.3), watch.Elapsed.ToString());
        }

        [Fact]
        public async Task Cancellation_during_a_backoff_wait_ends_within_a_second()
        {
            var s = new Scenario(_cognito);
            _cognito.Faults.Add(FaultRule.Throttle(1, "ForgetDevice", s.Devices[0].DeviceKey));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var watch = Stopwatch.StartNew();
            // delayScale 1000: the backoff would last minutes without cancellation.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => s.Session(delayScale: 1000).ForgetDeviceAsync(s.TokenTarget(s.Devices[0].DeviceKey), null, cts.Token));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.3), watch.Elapsed.ToString());
        }

        /// <summary>
        /// A bulk run through every fault: each input device ends either forgotten or as exactly one error naming it.
        /// </summary>
        [Fact]
        public async Task Bulk_removal_through_faults_accounts_for_every_device_exactly_once()
        {
            await using var cognito = await LocalCognito.StartAsync();
            var s = new Scenario(cognito, devices: 300);
            var keys = s.Devices.Select(d => d.DeviceKey).ToList();
            var missing = Enumerable.Range(0, 10).Select(i => $"us-east-1_{i:x8}-0000-0000-0000-000000000000").ToList();
            var random = new Random(42);
            var expectedErrors = new HashSet<string>(missing);
            foreach (string key in keys.OrderBy(_ => random.Next()).Take(120))
            {
                switch (random.Next(9))
                {
                    case 0: cognito.Faults.Add(FaultRule.Throttle(2, "ForgetDevice", key)); break;
                    case 1: cognito.Faults.Add(FaultRule.Throttle(3, "ForgetDevice", key)); expectedErrors.Add(key); break;
                    case 2: cognito.Faults.Add(FaultRule.InternalError(1, "ForgetDevice", key)); break;
                    case 3: cognito.Faults.Add(FaultRule.DropBeforeProcessing(2, "ForgetDevice", key)); break;
                    case 4: cognito.Faults.Add(FaultRule.DropAfterProcessing(1, "ForgetDevice", key)); break;
                    case 5: cognito.Faults.Add(FaultRule.TruncatedBody(1, "ForgetDevice", key)); break;
                    case 6: cognito.Faults.Add(FaultRule.GarbageBody(1, "ForgetDevice", key)); expectedErrors.Add(key); break;
                    case 7: cognito.Faults.Add(FaultRule.Status(502, "<html>proxy</html>", "text/html", 1, "ForgetDevice", key)); break;
                    default: cognito.Faults.Add(FaultRule.Delay(TimeSpan.FromSeconds(20), 1, "ForgetDevice", key)); break;
                }
            }
            var inputs = keys.Concat(missing).OrderBy(_ => random.Next()).ToList();
            var session = s.Session(attemptTimeout: TimeSpan.FromMilliseconds(500), delayScale: 0.001);
            var forgotten = new List<string>();
            var errors = new List<(string Key, CognitoDeviceException Error)>();
            var watch = Stopwatch.StartNew();
            foreach (string key in inputs)
            {
                try
                {
                    ForgottenDevice f = await Bounded(session.ForgetDeviceAsync(s.TokenTarget(key), null, CancellationToken.None));
                    forgotten.Add(f.DeviceKey);
                }
                catch (CognitoDeviceException ex)
                {
                    errors.Add((key, ex));
                }
            }

            Assert.Equal(inputs.Count, forgotten.Count + errors.Count);
            Assert.Equal(inputs.OrderBy(k => k), forgotten.Concat(errors.Select(e => e.Key)).OrderBy(k => k));
            Assert.Equal(expectedErrors.OrderBy(k => k), errors.Select(e => e.Key).OrderBy(k => k));
            var left = cognito.State.Devices(s.User).Select(d => d.DeviceKey).ToHashSet();
            Assert.All(forgotten, k => Assert.DoesNotContain(k, left));
            // A device still there is one whose removal failed, and it was reported; GarbageBody does not perform the operation.
            Assert.All(left, k => Assert.Contains(k, errors.Select(e => e.Key)));
            Assert.All(errors.Where(e => missing.Contains(e.Key)), e => Assert.IsType<ResourceNotFoundException>(e.Error));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), watch.Elapsed.ToString());
        }
    }
}
