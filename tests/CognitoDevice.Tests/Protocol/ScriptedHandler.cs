using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CognitoDevice.Tests.Protocol
{
    /// <summary>
    /// An HttpMessageHandler that answers from a script, for the retry arithmetic that needs exact control of
    /// each answer. What crosses a real HTTP connection is tested against the local endpoint instead.
    /// </summary>
    internal sealed class ScriptedHandler : HttpMessageHandler
    {
        private readonly ConcurrentQueue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _script = new();

        public List<(HttpRequestMessage Request, string Body)> Requests { get; } = new();

        public ScriptedHandler Then(HttpStatusCode status, string body, string? errorType = null, string contentType = "application/x-amz-json-1.1")
        {
            _script.Enqueue((_, _) =>
            {
                var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType) };
                response.Headers.TryAddWithoutValidation("x-amzn-RequestId", "req-" + Guid.NewGuid());
                if (errorType is not null) response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", errorType);
                return Task.FromResult(response);
            });
            return this;
        }

        public ScriptedHandler ThenError(string code, string message, HttpStatusCode status = HttpStatusCode.BadRequest) =>
            Then(status, "{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}", code + ":");

        public ScriptedHandler ThenThrow(Exception ex)
        {
            _script.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(ex));
            return this;
        }

        public ScriptedHandler ThenHang()
        {
            _script.Enqueue(async (_, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                throw new InvalidOperationException("unreachable");
            });
            return this;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            lock (Requests) Requests.Add((request, body));
            if (!_script.TryDequeue(out var next)) throw new InvalidOperationException("The script has no more answers.");
            return await next(request, cancellationToken);
        }
    }
}
