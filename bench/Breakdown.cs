using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Configuration;
using CognitoDevice.Operations;
using CognitoDevice.Protocol;
using CognitoDevice.Runtime;

namespace CognitoDevice.Bench
{
    /// <summary>
    /// The short profiling look: the client side alone, without a network or a server. First one whole ForgetDevice
    /// of each side over a stub HttpMessageHandler that answers 200 "{}" at once (so every await completes
    /// synchronously and GC.GetAllocatedBytesForCurrentThread counts the client's own allocations exactly);
    /// then the module's per-call steps one by one, as DeviceSession and CognitoClient run them.
    /// </summary>
    internal static class Breakdown
    {
        private const int Iterations = 20_000;
        private const int WarmupIterations = 5_000;

        private sealed class StubHandler : HttpMessageHandler
        {
            private static readonly byte[] Answer = Encoding.UTF8.GetBytes("{}");
            private static readonly MediaTypeHeaderValue JsonType = new MediaTypeHeaderValue("application/x-amz-json-1.1");

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var content = new ByteArrayContent(Answer);
                content.Headers.ContentType = JsonType;
                var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
                response.Headers.TryAddWithoutValidation("x-amzn-RequestId", "5f1e8f4c-4b0e-4a8e-9d7e-000000000000");
                return Task.FromResult(response);
            }
        }

        public static BreakdownResults Run(string endpointUrl, string accessToken, string deviceKey)
        {
            var results = new BreakdownResults { Iterations = Iterations };
            CognitoSettings settings = CognitoSettings.Load(endpointUrl, null, BenchEnvironment.InProcess(), BenchEnvironment.EmptyHome);

            // Whole calls over the stub.
            var moduleClient = new CognitoClient(new HttpClient(new StubHandler()) { Timeout = Timeout.InfiniteTimeSpan },
                new RetryStrategy(settings.MaxAttempts, new RetryQuota()), ModuleRuntime.UserAgent);
            var session = new DeviceSession(settings, moduleClient, accessToken, () => throw new InvalidOperationException("token path only"));
            using var floor = new FloorSide(endpointUrl, ModuleRuntime.UserAgent, settings.MaxAttempts, new StubHandler());
            results.ModuleCall = Measure("module: DeviceSession.ForgetDeviceAsync (stub handler)", () =>
                Sync(session.ForgetDeviceAsync(new DeviceTarget(deviceKey, null, null), null, CancellationToken.None)));
            results.FloorCall = Measure("floor: HttpClient request with the same bytes (stub handler)", () => Sync(floor.ForgetAsync(accessToken, deviceKey)));

            // The module's per-call steps (DeviceSession.Prepare, CognitoClient.SendAsync/AttemptAsync/Interpret).
            RegionResolution resolution = settings.ResolveRegion(null, accessToken, null, deviceKey);
            Uri endpoint = settings.ResolveEndpoint(resolution.Region, carriesAccessToken: true);
            byte[] answer = Encoding.UTF8.GetBytes("{}");
            string body = new JsonBody().Add("AccessToken", accessToken).Add("DeviceKey", deviceKey).ToString();
            results.Steps.Add(Measure("Settings.ResolveRegion (token payload, JSON, Uri, Regex; once per session since the fix)", () => settings.ResolveRegion(null, accessToken, null, deviceKey)));
            string[] parts = accessToken.Split('.');
            byte[] payload = RegionResolver.Base64UrlDecode(parts[1]) ?? Array.Empty<byte>();
            string claims = new UTF8Encoding(false, true).GetString(payload);
            results.Steps.Add(Measure("  of which: token.Split('.')", () => accessToken.Split('.')));
            results.Steps.Add(Measure("  of which: RegionResolver.Base64UrlDecode(payload)", () => RegionResolver.Base64UrlDecode(parts[1])));
            results.Steps.Add(Measure("  of which: strict UTF-8 decode of the claims", () => new UTF8Encoding(false, true).GetString(payload)));
            results.Steps.Add(Measure("  of which: Json.Parse(claims, maxDepth: 8)", () => Json.Parse(claims, maxDepth: 8)));
            results.Steps.Add(Measure("  of which: RegionResolver.RegionFromAccessToken (all of the above + Uri + Regex)", () => RegionResolver.RegionFromAccessToken(accessToken)));
            results.Steps.Add(Measure("Settings.ResolveEndpoint (once per session since the fix)", () => settings.ResolveEndpoint(resolution.Region, carriesAccessToken: true)));
            results.Steps.Add(Measure("DeviceSession: announce key (Description + endpoint) and HashSet lookup", () => resolution.Description + endpoint));
            results.Steps.Add(Measure("DeviceSession: JsonBody for AccessToken + DeviceKey", () => new JsonBody().Add("AccessToken", accessToken).Add("DeviceKey", deviceKey).ToString()));
            results.Steps.Add(Measure("(floor equivalent: string concatenation of the same body)", () => FloorSide.Body(accessToken, deviceKey)));
            results.Steps.Add(Measure("CognitoClient: UTF-8 body bytes", () => Encoding.UTF8.GetBytes(body)));
            results.Steps.Add(Measure("CognitoClient: invocation id (Guid.NewGuid().ToString())", () => Guid.NewGuid().ToString()));
            results.Steps.Add(Measure("CognitoClient: per-attempt timeout (linked CTS + CancelAfter + Dispose)", () =>
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken.None);
                cts.CancelAfter(RetryStrategy.DefaultAttemptTimeout);
                return cts.Token.CanBeCanceled;
            }));
            results.Steps.Add(Measure("CognitoClient: answer (UTF-8 decode + Json.Parse)", () => Json.Parse(new UTF8Encoding(false, true).GetString(answer))));
            return results;
        }

        private static object? Sync(Task task)
        {
            if (!task.IsCompleted) throw new InvalidOperationException("the stub call did not complete synchronously");
            task.GetAwaiter().GetResult();
            return null;
        }

        private static BreakdownStep Measure(string name, Func<object?> step)
        {
            for (int i = 0; i < WarmupIterations; i++) step();
            Thread.Sleep(150); // let the tiered JIT promote what the warm-up made hot
            for (int i = 0; i < WarmupIterations; i++) step();
            GC.Collect();
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < Iterations; i++) step();
            long elapsed = Stopwatch.GetTimestamp() - start;
            long bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
            return new BreakdownStep
            {
                Name = name,
                NanosecondsPerCall = elapsed * 1e9 / Stopwatch.Frequency / Iterations,
                BytesPerCall = bytes / (double)Iterations,
            };
        }
    }

    internal sealed class BreakdownResults
    {
        public int Iterations { get; set; }

        public BreakdownStep ModuleCall { get; set; } = new BreakdownStep();

        public BreakdownStep FloorCall { get; set; } = new BreakdownStep();

        public List<BreakdownStep> Steps { get; set; } = new List<BreakdownStep>();
    }

    internal sealed class BreakdownStep
    {
        public string Name { get; set; } = "";

        public double NanosecondsPerCall { get; set; }

        public double BytesPerCall { get; set; }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0}: {1:0} ns, {2:0} B", Name, NanosecondsPerCall, BytesPerCall);
    }
}
