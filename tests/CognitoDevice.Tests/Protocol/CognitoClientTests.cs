using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Protocol;
using Xunit;

namespace CognitoDevice.Tests.Protocol
{
    public class CognitoClientTests
    {
        private const string Token = "SENTINEL.access.TOKEN42";
        private static readonly Uri Endpoint = new("https://cognito-idp.us-east-1.amazonaws.com/");

        private static (CognitoClient Client, List<TimeSpan> Delays, RetryQuota Quota) Client(ScriptedHandler handler, int attempts = 3,
            double random = 0.5, RetryQuota? quota = null, TimeSpan? attemptTimeout = null)
        {
            var delays = new List<TimeSpan>();
            quota ??= new RetryQuota();
            var client = new CognitoClient(new HttpClient(handler), new RetryStrategy(attempts, quota, () => random, attemptTimeout: attemptTimeout),
                "CognitoDevice/9.9.9", delay: (d, _) =>
                {
                    delays.Add(d);
                    return Task.CompletedTask;
                });
            return (client, delays, quota);
        }

        private static CognitoCall Call(List<string>? verbose = null) =>
            new("ForgetDevice", Endpoint, "us-east-1", "{\"AccessToken\":\"" + Token + "\",\"DeviceKey\":\"us-east-1_ab\"}", new[] { Token })
            {
                Verbose = verbose is null ? null : m => verbose.Add(m),
            };

        [Fact]
        public async Task Sends_the_awsJson1_1_request()
        {
            var handler = new ScriptedHandler().Then(HttpStatusCode.OK, "{}");
            var (client, _, _) = Client(handler);
            await client.SendAsync(Call(), CancellationToken.None);

            var (request, body) = Assert.Single(handler.Requests);
            Assert.Equal(HttpMethod.Post, request.Method);
            Assert.Equal(Endpoint, request.RequestUri);
            Assert.Equal("AWSCognitoIdentityProviderService.ForgetDevice", request.Headers.GetValues("X-Amz-Target").Single());
            Assert.Equal("application/x-amz-json-1.1", request.Content!.Headers.GetValues("Content-Type").Single()); // no charset
            Assert.Equal("attempt=1; max=3", request.Headers.GetValues("amz-sdk-request").Single());
            Assert.True(Guid.TryParse(request.Headers.GetValues("amz-sdk-invocation-id").Single(), out _));
            Assert.Equal("CognitoDevice/9.9.9", request.Headers.GetValues("User-Agent").Single());
            Assert.False(request.Headers.Contains("Authorization")); // ForgetDevice is unsigned
            Assert.Equal("{\"AccessToken\":\"" + Token + "\",\"DeviceKey\":\"us-east-1_ab\"}", body);
        }

        [Fact]
        public async Task Retries_throttling_that_arrives_as_400_and_keeps_the_invocation_id()
        {
            var handler = new ScriptedHandler().ThenError("TooManyRequestsException", "Rate exceeded").Then(HttpStatusCode.OK, "");
            var verbose = new List<string>();
            var (client, delays, _) = Client(handler);
            var call = Call(verbose);
            Dictionary<string, object?> result = await client.SendAsync(call, CancellationToken.None);

            Assert.Empty(result);
            Assert.Equal(2, call.Attempts);
            Assert.Equal(new[] { "attempt=1; max=3", "attempt=2; max=3" }, handler.Requests.Select(r => r.Request.Headers.GetValues("amz-sdk-request").Single()));
            Assert.Single(handler.Requests.Select(r => r.Request.Headers.GetValues("amz-sdk-invocation-id").Single()).Distinct());
            Assert.Equal(TimeSpan.FromSeconds(0.5), Assert.Single(delays));
            Assert.Contains(verbose, m => m.Contains("attempt 1 of 3 failed with TooManyRequestsException") && m.Contains("retrying in 0.50 s"));
        }

        [Theory]
        [InlineData("NotAuthorizedException")]
        [InlineData("ResourceNotFoundException")]
        [InlineData("InvalidParameterException")]
        [InlineData("UserNotFoundException")]
        public async Task Never_retries_other_client_errors(string code)
        {
            var handler = new ScriptedHandler().ThenError(code, "no");
            var (client, delays, _) = Client(handler);
            var ex = await Assert.ThrowsAnyAsync<CognitoDeviceException>(() => client.SendAsync(Call(), CancellationToken.None));
            Assert.Equal(code, ex.ErrorCode);
            Assert.Equal(code, ex.GetType().Name);
            Assert.Equal(400, ex.StatusCode);
            Assert.NotNull(ex.RequestId);
            Assert.Equal("ForgetDevice", ex.Operation);
            Assert.Single(handler.Requests);
            Assert.Empty(delays);
        }

        [Fact]
        public async Task Gives_up_after_max_attempts_with_the_last_error()
        {
            var handler = new ScriptedHandler().ThenError("InternalErrorException", "a", HttpStatusCode.InternalServerError)
                .Then(HttpStatusCode.BadGateway, "<html>bad gateway</html>", contentType: "text/html")
                .Then(HttpStatusCode.ServiceUnavailable, "");
            var (client, delays, _) = Client(handler, random: 1.0);
            var ex = await Assert.ThrowsAsync<CognitoDeviceException>(() => client.SendAsync(Call(), CancellationToken.None));
            Assert.Equal("UnexpectedResponse", ex.ErrorCode);
            Assert.Equal(503, ex.StatusCode);
            Assert.Equal(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2) }, delays);
        }

        [Fact]
        public async Task A_proxy_html_page_is_a_protocol_error_that_names_status_and_content_type()
        {
            var handler = new ScriptedHandler().Then(HttpStatusCode.Forbidden, "<html><body>Access denied by proxy</body></html>", contentType: "text/html");
            var (client, _, _) = Client(handler);
            var ex = await Assert.ThrowsAsync<CognitoDeviceException>(() => client.SendAsync(Call(), CancellationToken.None));
            Assert.Equal("UnexpectedResponse", ex.ErrorCode);
            Assert.Contains("HTTP 403", ex.Message);
            Assert.Contains("text/html", ex.Message);
            Assert.Single(handler.Requests); // a 403 is not retried
        }

        [Fact]
        public async Task A_200_with_garbage_is_unreadable_and_not_retried()
        {
            var handler = new ScriptedHandler().Then(HttpStatusCode.OK, "<<not json>>", contentType: "text/plain");
            var (client, _, _) = Client(handler);
            var ex = await Assert.ThrowsAsync<CognitoDeviceException>(() => client.SendAsync(Call(), CancellationToken.None));
            Assert.Equal("UnreadableResponse", ex.ErrorCode);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public void Backoff_is_random_times_two_to_the_retry_capped_at_20_seconds()
        {
            var full = new RetryStrategy(10, new RetryQuota(), () => 0.999999);
            Assert.InRange(full.DelayBeforeRetry(1).TotalSeconds, 0.99, 1.0);
            Assert.InRange(full.DelayBeforeRetry(2).TotalSeconds, 1.99, 2.0);
            Assert.InRange(full.DelayBeforeRetry(5).TotalSeconds, 15.9, 16.0);
            Assert.InRange(full.DelayBeforeRetry(6).TotalSeconds, 19.9, 20.0);
            Assert.InRange(full.DelayBeforeRetry(30).TotalSeconds, 19.9, 20.0);
            var none = new RetryStrategy(10, new RetryQuota(), () => 0.0);
            Assert.Equal(TimeSpan.Zero, none.DelayBeforeRetry(3));
            var real = new RetryStrategy(10, new RetryQuota());
            for (int i = 0; i < 200; i++) Assert.InRange(real.DelayBeforeRetry(3).TotalSeconds, 0, 4);
        }

        [Fact]
        public async Task The_retry_quota_stops_retries_when_used_up_and_refills_on_success()
        {
            var quota = new RetryQuota(capacity: 7);
            var handler = new ScriptedHandler().ThenError("TooManyRequestsException", "x").ThenError("TooManyRequestsException", "y");
            var (client, _, _) = Client(handler, attempts: 5, quota: quota);
            var ex = await Assert.ThrowsAsync<TooManyRequestsException>(() => client.SendAsync(Call(), CancellationToken.None));
            Assert.Equal(2, handler.Requests.Count); // one retry (cost 5), then 2 tokens left: no more
            Assert.Equal(2, quota.Available);

            handler.Then(HttpStatusCode.OK, "{}");
            await client.SendAsync(Call(), CancellationToken.None);
            Assert.Equal(3, quota.Available); // a success without retries gives one back
        }

        [Fact]
        public async Task A_timeout_is_retried_and_then_reported_as_OperationTimeout_code()
        {
            var handler = new ScriptedHandler().ThenHang().ThenHang();
            var (client, _, quota) = Client(handler, attempts: 2, attemptTimeout: TimeSpan.FromMilliseconds(100));
            var watch = Stopwatch.StartNew();
            var ex = await Assert.ThrowsAsync<CognitoDeviceException>(() => client.SendAsync(Call(), CancellationToken.None));
            Assert.Equal("RequestTimeout", ex.ErrorCode);
            Assert.Equal(2, handler.Requests.Count);
            Assert.Equal(RetryQuota.InitialCapacity - RetryQuota.TimeoutRetryCost, quota.Available);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
        }

        [Fact]
        public async Task Cancellation_during_a_request_ends_within_a_second()
        {
            var handler = new ScriptedHandler().ThenHang();
            var (client, _, _) = Client(handler);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var watch = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync(Call(), cts.Token));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.2), watch.Elapsed.ToString());
        }

        [Fact]
        public async Task Cancellation_during_a_backoff_wait_ends_within_a_second()
        {
            var handler = new ScriptedHandler().ThenError("TooManyRequestsException", "x");
            var call = new CognitoCall("ForgetDevice", Endpoint, "us-east-1", "{}", Array.Empty<string>());
            // The real Task.Delay, with the longest backoff the strategy allows.
            var client = new CognitoClient(new HttpClient(handler), new RetryStrategy(3, new RetryQuota(), () => 1.0), "ua",
                delay: (d, ct) => Task.Delay(RetryStrategy.DefaultMaxBackoff, ct));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var watch = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync(call, cts.Token));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.3), watch.Elapsed.ToString());
        }

        [Fact]
        public async Task Name_resolution_failure_is_a_connection_error_and_not_retried()
        {
            var handler = new ScriptedHandler().ThenThrow(new HttpRequestException("No such host is known.", new SocketException((int)SocketError.HostNotFound)));
            var (client, _, _) = Client(handler);
            var ex = await Assert.ThrowsAsync<CognitoDeviceException>(() => client.SendAsync(Call(), CancellationToken.None));
            Assert.Equal("NameResolutionFailure", ex.ErrorCode);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task Connection_reset_is_retried()
        {
            var handler = new ScriptedHandler()
                .ThenThrow(new HttpRequestException("reset", new System.IO.IOException("Connection reset by peer", new SocketException((int)SocketError.ConnectionReset))))
                .Then(HttpStatusCode.OK, "{}");
            var (client, _, _) = Client(handler);
            var call = Call();
            await client.SendAsync(call, CancellationToken.None);
            Assert.Equal(2, call.Attempts);
            Assert.True(call.EarlierAttemptMayHaveSucceeded);
        }

        [Fact]
        public async Task Tls_failure_is_a_security_error_and_not_retried()
        {
            var handler = new ScriptedHandler().ThenThrow(new HttpRequestException("SSL", new AuthenticationException("The remote certificate is invalid")));
            var (client, _, _) = Client(handler);
            var ex = await Assert.ThrowsAsync<CognitoDeviceException>(() => client.SendAsync(Call(), CancellationToken.None));
            Assert.Equal("TlsFailure", ex.ErrorCode);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task A_service_message_that_echoes_the_token_is_redacted()
        {
            var handler = new ScriptedHandler().ThenError("InvalidParameterException", "Value '" + Token + "' at 'accessToken' failed");
            var (client, _, _) = Client(handler);
            var ex = await Assert.ThrowsAsync<InvalidParameterException>(() => client.SendAsync(Call(), CancellationToken.None));
            Assert.DoesNotContain(Token, ex.ToString());
            Assert.Contains(SecretRedactor.Mask, ex.Message);
        }
    }
}
