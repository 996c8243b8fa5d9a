using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Auth;
using CognitoDevice.LocalEndpoint.Control;
using CognitoDevice.LocalEndpoint.Protocol;
using CognitoDevice.LocalEndpoint.Quotas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CognitoDevice.LocalEndpoint
{
    /// <summary>
    /// A local Amazon Cognito Identity Provider endpoint: a Kestrel server on 127.0.0.1 that
    /// speaks awsJson1_1 for the eight device operations, with SigV4 verification for the Admin
    /// operations, fault injection, a request log and a JSON control API under /_local/.
    /// </summary>
    public sealed class LocalCognito : IAsyncDisposable
    {
        private static readonly HashSet<string> s_supported = new HashSet<string>(StringComparer.Ordinal)
        {
            "ForgetDevice", "AdminForgetDevice", "ListDevices", "AdminListDevices",
            "GetDevice", "AdminGetDevice", "UpdateDeviceStatus", "AdminUpdateDeviceStatus",
            "ListUsers", "DescribeUserPool",
        };

        private readonly LocalCognitoOptions _options;
        private readonly TokenBucket? _bucket;
        private readonly ControlApi _control;
        private readonly CancellationTokenSource _shutdown = new CancellationTokenSource();
        private WebApplication? _app;
        private int _disposed;

        private LocalCognito(LocalCognitoOptions options, X509Certificate2? certificate)
        {
            _options = options;
            Certificate = certificate;
            State = new CognitoState();
            Faults = new FaultInjector();
            Requests = new RequestLog();
            _bucket = options.RequestsPerSecond is double rps ? new TokenBucket(rps) : null;
            _control = new ControlApi(this);
            Quotas = new QuotaLimiter(options.Quotas);
            _latencyTicks = options.Latency.Ticks;
            Url = new Uri("http://127.0.0.1/");
        }

        /// <summary>Base address, e.g. http://127.0.0.1:41234/ (https:// with <see cref="LocalCognitoOptions.UseHttps"/>).</summary>
        public Uri Url { get; private set; }

        public CognitoState State { get; }

        public FaultInjector Faults { get; }

        public RequestLog Requests { get; }

        /// <summary>Cognito's per-category and per-user quotas (off unless <see cref="LocalCognitoOptions.Quotas"/> or Configure).</summary>
        public QuotaLimiter Quotas { get; }

        private long _latencyTicks;

        /// <summary>Added before every service request is processed (a real network's round trip); changeable at any time.</summary>
        public TimeSpan Latency
        {
            get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
            set => Interlocked.Exchange(ref _latencyTicks, value < TimeSpan.Zero ? 0 : value.Ticks);
        }

        /// <summary>The options the instance runs with (a copy; changing it has no effect).</summary>
        public LocalCognitoOptions Options => _options.Copy();

        /// <summary>The allowed SigV4 credential: profile [cognito-local] of tests/CognitoDevice.LocalEndpoint/local-credentials.</summary>
        public TestCredential Credentials => LocalCredentials.Default;

        /// <summary>An allowed credential with a session token (requests must carry X-Amz-Security-Token).</summary>
        public TestCredential SessionCredentials => LocalCredentials.Session;

        /// <summary>Validly signed requests with this credential get AccessDeniedException.</summary>
        public TestCredential DeniedCredentials => LocalCredentials.Denied;

        /// <summary>The self-signed server certificate when <see cref="LocalCognitoOptions.UseHttps"/> is set.</summary>
        public X509Certificate2? Certificate { get; }

        /// <summary>Starts an instance on 127.0.0.1 (an ephemeral port unless <see cref="LocalCognitoOptions.Port"/> is set).</summary>
        public static Task<LocalCognito> StartAsync(LocalCognitoOptions? options = null, CancellationToken ct = default) =>
            StartAsync(options, logWarningsToConsole: false, ct);

        internal static async Task<LocalCognito> StartAsync(LocalCognitoOptions? options, bool logWarningsToConsole, CancellationToken ct)
        {
            LocalCognitoOptions copy = (options ?? new LocalCognitoOptions()).Copy();
            if (copy.Port < 0 || copy.Port > 65535) throw new ArgumentOutOfRangeException(nameof(options), "Port must be 0..65535.");
            X509Certificate2? certificate = copy.UseHttps ? SelfSignedCertificate.Create() : null;
            var instance = new LocalCognito(copy, certificate);
            try
            {
                await instance.StartCoreAsync(logWarningsToConsole, ct).ConfigureAwait(false);
            }
            catch
            {
                await instance.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            return instance;
        }

        private async Task StartCoreAsync(bool logWarningsToConsole, CancellationToken ct)
        {
            WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
            {
                ApplicationName = typeof(LocalCognito).Assembly.GetName().Name,
                ContentRootPath = AppContext.BaseDirectory,
            });
            builder.WebHost.UseKestrelCore();
            if (Certificate != null) builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.AddServerHeader = false;
                k.Listen(IPAddress.Loopback, _options.Port, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    if (Certificate != null) listen.UseHttps(Certificate);
                });
            });
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (logWarningsToConsole) builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
            // No ConsoleLifetime: an in-process instance must not capture SIGINT/SIGTERM of its host
            // (a test runner, a benchmark); standalone mode handles signals itself (Program).
            builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, PassiveHostLifetime>();

            WebApplication app = builder.Build();
            app.Run(HandleAsync);
            _app = app;
            await app.StartAsync(ct).ConfigureAwait(false);

            IServerAddressesFeature? addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
            string? bound = addresses?.Addresses.FirstOrDefault();
            if (bound is null) throw new InvalidOperationException("Kestrel reported no bound address.");
            var boundUri = new Uri(bound);
            Url = new Uri((Certificate != null ? "https" : "http") + "://127.0.0.1:" + boundUri.Port.ToString(CultureInfo.InvariantCulture) + "/");
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            _shutdown.Cancel();
            if (_app != null)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await _app.StopAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Connections still open after the timeout are aborted by DisposeAsync below.
                }
                await _app.DisposeAsync().ConfigureAwait(false);
            }
            Certificate?.Dispose();
            _shutdown.Dispose();
        }

        // ------------------------------------------------------------------ request pipeline

        /// <summary>Local STS, IAM Identity Center portal and container credentials stand-ins on the same port (Sts/AuthStandIns.cs).</summary>
        public Sts.AuthStandIns Auth { get; } = new Sts.AuthStandIns();

        private Task HandleAsync(HttpContext ctx)
        {
            if (Auth.TryHandle(ctx) is Task auth) return auth;
            string path = ctx.Request.Path.Value ?? "/";
            if (path == "/_local" || path.StartsWith("/_local/", StringComparison.Ordinal))
            {
                return _control.HandleAsync(ctx);
            }
            return HandleServiceAsync(ctx);
        }

        private sealed class ServiceResult
        {
            public ServiceResult(int status, string? errorCode, byte[] body)
            {
                Status = status;
                ErrorCode = errorCode;
                Body = body;
            }

            public int Status { get; }

            public string? ErrorCode { get; }

            public byte[] Body { get; }

            public static ServiceResult Error(CognitoServiceException e) =>
                new ServiceResult(e.StatusCode, e.Code, AwsJson.ErrorBody(e.Code, e.Message));
        }

        private int _inProgress;

        /// <summary>Service requests received and not yet recorded in <see cref="Requests"/>.</summary>
        internal int RequestsInProgress => Volatile.Read(ref _inProgress);

        private async Task HandleServiceAsync(HttpContext ctx)
        {
            Interlocked.Increment(ref _inProgress);
            var stopwatch = Stopwatch.StartNew();
            long sequence = Requests.NextSequence();
            DateTime started = DateTime.UtcNow;
            string requestId = Guid.NewGuid().ToString("D");
            string? operation = null;
            FaultRule? fault = null;
            int status = 0;
            string? errorCode = null;
            bool clientAborted = false;
            byte[] body = Array.Empty<byte>();
            using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _shutdown.Token);
            CancellationToken ct = linked.Token;
            try
            {
                try
                {
                    using var buffer = new MemoryStream();
                    await ctx.Request.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
                    body = buffer.ToArray();
                }
                catch (Exception e) when (e is OperationCanceledException || e is IOException || e is Microsoft.AspNetCore.Http.BadHttpRequestException)
                {
                    clientAborted = true;
                    ctx.Abort();
                    return;
                }

                operation = OperationFromTarget(ctx.Request.Headers["X-Amz-Target"].ToString());
                TimeSpan latency = Latency;
                if (latency > TimeSpan.Zero) await Task.Delay(latency, ct).ConfigureAwait(false);
                fault = Faults.TryTake(operation, TryReadDeviceKey(body));

                ServiceResult? result = null;
                if (fault != null)
                {
                    switch (fault.Kind)
                    {
                        case FaultKind.Throttle:
                            result = ServiceResult.Error(new CognitoServiceException(ErrorCodes.TooManyRequests, "Rate exceeded"));
                            break;
                        case FaultKind.InternalError:
                            result = ServiceResult.Error(new CognitoServiceException(ErrorCodes.InternalError, "An internal error occurred.", 500));
                            break;
                        case FaultKind.Status:
                            status = fault.StatusCode;
                            await WriteRawAsync(ctx, requestId, fault.StatusCode, fault.ContentType, Encoding.UTF8.GetBytes(fault.Body ?? ""), ct).ConfigureAwait(false);
                            return;
                        case FaultKind.GarbageBody:
                            status = 200;
                            await WriteRawAsync(ctx, requestId, 200, fault.ContentType ?? AwsJson.ContentType,
                                Encoding.UTF8.GetBytes(fault.Body ?? "<<not json>>"), ct).ConfigureAwait(false);
                            return;
                        case FaultKind.DropBeforeProcessing:
                            ctx.Abort();
                            return;
                        case FaultKind.Delay:
                            try
                            {
                                await Task.Delay(fault.DelayDuration, ct).ConfigureAwait(false);
                            }
                            catch (OperationCanceledException)
                            {
                                clientAborted = ctx.RequestAborted.IsCancellationRequested;
                                ctx.Abort();
                                return;
                            }
                            break;
                    }
                }

                result ??= Process(ctx, operation, body);
                errorCode = result.ErrorCode;

                if (fault?.Kind == FaultKind.DropAfterProcessing)
                {
                    ctx.Abort();
                    return;
                }
                if (fault?.Kind == FaultKind.TruncatedBody)
                {
                    status = result.Status;
                    ctx.Response.StatusCode = result.Status;
                    SetStandardHeaders(ctx, requestId, result);
                    int sent = result.Body.Length / 2;
                    ctx.Response.ContentLength = result.Body.Length + 32;
                    await ctx.Response.Body.WriteAsync(result.Body.AsMemory(0, sent), ct).ConfigureAwait(false);
                    await ctx.Response.Body.FlushAsync(ct).ConfigureAwait(false);
                    // Give the transport time to put the partial answer on the wire before the abort.
                    await Task.Delay(TruncationGrace, ct).ConfigureAwait(false);
                    ctx.Abort();
                    return;
                }

                status = result.Status;
                ctx.Response.StatusCode = result.Status;
                SetStandardHeaders(ctx, requestId, result);
                ctx.Response.ContentLength = result.Body.Length;
                if (result.Body.Length > 0)
                {
                    await ctx.Response.Body.WriteAsync(result.Body, ct).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is OperationCanceledException || e is IOException)
            {
                clientAborted = ctx.RequestAborted.IsCancellationRequested;
                status = 0;
                ctx.Abort();
            }
            finally
            {
                if (fault?.Kind == FaultKind.DropBeforeProcessing || fault?.Kind == FaultKind.DropAfterProcessing) status = 0;
                if (Requests.Enabled) Requests.Add(new RecordedRequest
                {
                    Sequence = sequence,
                    UtcTime = started,
                    Method = ctx.Request.Method,
                    Path = ctx.Request.Path.Value ?? "/",
                    Headers = RecordHeaders(ctx.Request),
                    Body = DecodeBody(body),
                    Operation = operation,
                    ConnectionId = ctx.Connection.Id,
                    StatusCode = status,
                    ErrorCode = status == 0 ? null : errorCode,
                    Fault = fault?.Kind,
                    ClientAborted = clientAborted,
                    ElapsedMs = stopwatch.Elapsed.TotalMilliseconds,
                });
                Interlocked.Decrement(ref _inProgress);
            }
        }

        private static readonly TimeSpan TruncationGrace = TimeSpan.FromMilliseconds(150);

        private static void SetStandardHeaders(HttpContext ctx, string requestId, ServiceResult result)
        {
            ctx.Response.Headers["x-amzn-RequestId"] = requestId;
            ctx.Response.ContentType = AwsJson.ContentType;
            if (result.ErrorCode != null)
            {
                ctx.Response.Headers["x-amzn-ErrorType"] = result.ErrorCode + AwsJson.ErrorTypeSuffix;
            }
        }

        private static async Task WriteRawAsync(HttpContext ctx, string requestId, int status, string? contentType, byte[] body, CancellationToken ct)
        {
            ctx.Response.StatusCode = status;
            ctx.Response.Headers["x-amzn-RequestId"] = requestId;
            if (!string.IsNullOrEmpty(contentType)) ctx.Response.ContentType = contentType;
            ctx.Response.ContentLength = body.Length;
            if (body.Length > 0) await ctx.Response.Body.WriteAsync(body, ct).ConfigureAwait(false);
        }

        private static string? OperationFromTarget(string target)
        {
            string prefix = ServiceModel.Cognito.TargetPrefix + ".";
            if (!target.StartsWith(prefix, StringComparison.Ordinal)) return null;
            string op = target.Substring(prefix.Length);
            return op.Length == 0 ? null : op;
        }

        private static string? TryReadDeviceKey(byte[] body)
        {
            try
            {
                using JsonDocument doc = JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind == JsonValueKind.Object &&
                    doc.RootElement.TryGetProperty("DeviceKey", out JsonElement key) && key.ValueKind == JsonValueKind.String)
                {
                    return key.GetString();
                }
            }
            catch (JsonException)
            {
            }
            catch (InvalidOperationException)
            {
            }
            return null;
        }

        private static string DecodeBody(byte[] body)
        {
            try
            {
                return new UTF8Encoding(false, true).GetString(body);
            }
            catch (DecoderFallbackException)
            {
                return Encoding.UTF8.GetString(body);
            }
        }

        private static IReadOnlyDictionary<string, string> RecordHeaders(HttpRequest request)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> h in request.Headers)
            {
                headers[h.Key] = string.Equals(h.Key, "X-Amz-Security-Token", StringComparison.OrdinalIgnoreCase)
                    ? "<redacted>"
                    : string.Join(",", h.Value.Select(v => v ?? ""));
            }
            return headers;
        }

        private ServiceResult Process(HttpContext ctx, string? operation, byte[] body)
        {
            try
            {
                if (!HttpMethods.IsPost(ctx.Request.Method))
                {
                    throw new CognitoServiceException(ErrorCodes.UnknownOperation, "Only POST requests are supported.");
                }
                if (operation is null)
                {
                    throw new CognitoServiceException(ErrorCodes.UnknownOperation, "Missing or unknown X-Amz-Target.");
                }
                if (!IsAwsJsonContentType(ctx.Request.ContentType))
                {
                    throw new CognitoServiceException(ErrorCodes.UnknownOperation, "Content-Type must be " + AwsJson.ContentType + ".");
                }
                if (!s_supported.Contains(operation) || !ServiceModel.Cognito.Operations.TryGetValue(operation, out ModelOperation? model) || model.InputShape is null)
                {
                    throw new CognitoServiceException(ErrorCodes.UnknownOperation, "Operation " + operation + " is not supported by the local endpoint.");
                }
                if (_bucket != null && !_bucket.TryTake())
                {
                    throw new CognitoServiceException(ErrorCodes.TooManyRequests, "Rate exceeded");
                }

                SigV4Principal? principal = null;
                if (model.RequiresSigV4)
                {
                    principal = SigV4Verifier.Verify(ctx.Request, body, DateTime.UtcNow);
                }
                ValidatedInput input = InputValidator.Validate(model.InputShape, body);
                if (principal is { Denied: true })
                {
                    string pool = input.GetString("UserPoolId") ?? "*";
                    throw new CognitoServiceException(ErrorCodes.AccessDenied,
                        "User: arn:aws:iam::000000000000:user/denied is not authorized to perform: cognito-idp:" + operation +
                        " on resource: arn:aws:cognito-idp:" + principal.Region + ":000000000000:userpool/" + pool);
                }
                if (Quotas.TryAcquire(operation, PoolOperations.UserKey(input)) != QuotaDecision.Allowed)
                {
                    throw new CognitoServiceException(ErrorCodes.TooManyRequests, "Rate exceeded");
                }
                return new ServiceResult(200, null, Execute(operation, model, input));
            }
            catch (CognitoServiceException e)
            {
                return ServiceResult.Error(e);
            }
            catch (Exception)
            {
                return ServiceResult.Error(new CognitoServiceException(ErrorCodes.InternalError, "An internal error occurred.", 500));
            }
        }

        private static bool IsAwsJsonContentType(string? contentType)
        {
            if (string.IsNullOrEmpty(contentType)) return false;
            int semicolon = contentType.IndexOf(';');
            string media = (semicolon < 0 ? contentType : contentType.Substring(0, semicolon)).Trim();
            return string.Equals(media, AwsJson.ContentType, StringComparison.OrdinalIgnoreCase);
        }

        private byte[] Execute(string operation, ModelOperation model, ValidatedInput input)
        {
            if (PoolOperations.Handles(operation)) return PoolOperations.Execute(State, operation, input, _options.ExponentTimestamps);
            bool admin = operation.StartsWith("Admin", StringComparison.Ordinal);
            PoolUser user = admin
                ? State.ResolveAdminUser(input.GetString("UserPoolId")!, input.GetString("Username")!)
                : State.ResolveAccessToken(input.GetString("AccessToken"));
            bool exponent = _options.ExponentTimestamps;
            switch (operation)
            {
                case "ForgetDevice":
                case "AdminForgetDevice":
                    State.ForgetDevice(user, input.GetString("DeviceKey")!);
                    return NoOutput(model);
                case "GetDevice":
                case "AdminGetDevice":
                    {
                        DeviceSnapshot device = State.GetDevice(user, input.GetString("DeviceKey")!);
                        return AwsJson.Write(w =>
                        {
                            w.WriteStartObject();
                            w.WritePropertyName("Device");
                            AwsJson.WriteDevice(w, device, exponent);
                            w.WriteEndObject();
                        });
                    }
                case "UpdateDeviceStatus":
                case "AdminUpdateDeviceStatus":
                    State.UpdateDeviceStatus(user, input.GetString("DeviceKey")!, input.GetString("DeviceRememberedStatus"));
                    return NoOutput(model);
                case "ListDevices":
                case "AdminListDevices":
                    {
                        int limit = input.GetInt32("Limit") ?? 0;
                        if (limit == 0) limit = DefaultPageSize;
                        (IReadOnlyList<DeviceSnapshot> page, string? next) = State.ListDevices(user, limit, input.GetString("PaginationToken"));
                        return AwsJson.Write(w =>
                        {
                            w.WriteStartObject();
                            w.WritePropertyName("Devices");
                            w.WriteStartArray();
                            foreach (DeviceSnapshot d in page) AwsJson.WriteDevice(w, d, exponent);
                            w.WriteEndArray();
                            if (next != null) AwsJson.WriteString(w, "PaginationToken", next);
                            w.WriteEndObject();
                        });
                    }
                default:
                    throw new CognitoServiceException(ErrorCodes.UnknownOperation, "Operation " + operation + " is not supported by the local endpoint.");
            }
        }

        private sealed class PassiveHostLifetime : Microsoft.Extensions.Hosting.IHostLifetime
        {
            public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        }

        /// <summary>Page size when Limit is absent or 0 (an assumption: the service documents no default).</summary>
        public const int DefaultPageSize = 10;

        private byte[] NoOutput(ModelOperation model) =>
            !model.HasOutput && _options.EmptyBodyForNoOutput ? Array.Empty<byte>() : Encoding.UTF8.GetBytes("{}");
    }
}
