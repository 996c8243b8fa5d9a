using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace CognitoDevice.LocalEndpoint.Tests.Infrastructure
{
    /// <summary>Raw awsJson1_1 calls with HttpClient (optionally SigV4-signed).</summary>
    public sealed class Api
    {
        public const string Prefix = "AWSCognitoIdentityProviderService.";
        public const string JsonContentType = "application/x-amz-json-1.1";

        private readonly HttpClient _http;

        public Api(HttpClient http, Uri baseUrl)
        {
            _http = http;
            BaseUrl = baseUrl;
        }

        public Uri BaseUrl { get; }

        public static HttpClient CreateHttpClient(HttpMessageHandler? handler = null) =>
            new HttpClient(handler ?? new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                Timeout = TimeSpan.FromSeconds(30),
            };

        public static string Json(object body) => body as string ?? JsonSerializer.Serialize(body);

        public HttpRequestMessage Build(string? operation, object body, string? contentType = JsonContentType)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(Json(body));
            var request = new HttpRequestMessage(HttpMethod.Post, BaseUrl) { Content = new ByteArrayContent(bytes) };
            if (contentType != null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            if (operation != null) request.Headers.TryAddWithoutValidation("X-Amz-Target", operation.Contains('.') ? operation : Prefix + operation);
            return request;
        }

        /// <summary>Calls an operation; signs with <paramref name="signWith"/> when given.</summary>
        public async Task<ApiResponse> CallAsync(string operation, object body, TestCredential? signWith = null, string region = "us-east-1",
            DateTime? signTime = null, string service = "cognito-idp", Action<HttpRequestMessage>? afterSign = null, CancellationToken ct = default)
        {
            using HttpRequestMessage request = Build(operation, body);
            if (signWith != null)
            {
                byte[] bytes = await request.Content!.ReadAsByteArrayAsync(ct);
                SigV4.Sign(request, bytes, signWith, region, signTime, service);
            }
            afterSign?.Invoke(request);
            return await SendAsync(request, ct);
        }

        public async Task<ApiResponse> SendAsync(HttpRequestMessage request, CancellationToken ct = default)
        {
            using HttpResponseMessage response = await _http.SendAsync(request, ct);
            string text = await response.Content.ReadAsStringAsync(ct);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, IEnumerable<string>> h in response.Headers.Concat(response.Content.Headers))
            {
                headers[h.Key] = string.Join(",", h.Value);
            }
            return new ApiResponse((int)response.StatusCode, headers, text);
        }
    }

    public sealed class ApiResponse
    {
        private JsonElement? _json;

        public ApiResponse(int status, IReadOnlyDictionary<string, string> headers, string body)
        {
            Status = status;
            Headers = headers;
            Body = body;
        }

        public int Status { get; }

        public IReadOnlyDictionary<string, string> Headers { get; }

        public string Body { get; }

        public JsonElement Json
        {
            get
            {
                if (_json is null)
                {
                    using JsonDocument doc = JsonDocument.Parse(Body);
                    _json = doc.RootElement.Clone();
                }
                return _json.Value;
            }
        }

        public string? ErrorType => Status == 200 ? null : Json.TryGetProperty("__type", out JsonElement t) ? t.GetString() : null;

        public string? Message => Json.TryGetProperty("message", out JsonElement m) ? m.GetString() : null;

        public string? Header(string name) => Headers.TryGetValue(name, out string? v) ? v : null;

        public override string ToString() => Status + " " + Body;
    }
}
