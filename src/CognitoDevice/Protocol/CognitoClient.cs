using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Errors;

namespace CognitoDevice.Protocol
{
    /// <summary>
    /// The awsJson1_1 client: POST / with X-Amz-Target, retries per <see cref="RetryStrategy"/>, typed errors.
    /// It holds no PowerShell type and no AWS SDK type, so xunit drives it and the token path loads only the BCL.
    /// </summary>
    internal sealed class CognitoClient
    {
        public const string TargetPrefix = "AWSCognitoIdentityProviderService.";
        public const string ContentType = "application/x-amz-json-1.1";

        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);
        private static readonly MediaTypeHeaderValue JsonContentType = new MediaTypeHeaderValue(ContentType);
        private readonly HttpClient _http;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay;
        private readonly Func<DateTime> _utcNow;

        public CognitoClient(HttpClient http, RetryStrategy retry, string userAgent, IRequestPacer? pacer = null,
            Func<TimeSpan, CancellationToken, Task>? delay = null, Func<DateTime>? utcNow = null)
        {
            _http = http ?? throw new ArgumentNullException(nameof(http));
            Retry = retry ?? throw new ArgumentNullException(nameof(retry));
            UserAgent = userAgent;
            Pacer = pacer;
            _delay = delay ?? Task.Delay;
            _utcNow = utcNow ?? (() => DateTime.UtcNow);
        }

        public RetryStrategy Retry { get; }

        public IRequestPacer? Pacer { get; }

        /// <summary>Pacing to Cognito's quotas (per category and per user), shared by the session; null: none.</summary>
        public QuotaPacing? Quotas { get; set; }

        public string UserAgent { get; }

        /// <summary>
        /// Sends the call, retrying what is worth retrying, and returns the answer's JSON object
        /// (empty for an empty body). Failures are <see cref="CognitoDeviceException"/>s whose messages are redacted;
        /// cancellation through <paramref name="cancellationToken"/> is an <see cref="OperationCanceledException"/>.
        /// </summary>
        public async Task<Dictionary<string, object?>> SendAsync(CognitoCall call, CancellationToken cancellationToken)
        {
            byte[] body = Encoding.UTF8.GetBytes(call.JsonBody);
            string invocationId = Guid.NewGuid().ToString();
            int lastRetryCost = 0;
            IRequestPacer? quota = Quotas?.For(call.Operation, call.QuotaUser);

            for (int attempt = 1; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (quota is not null) await quota.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (Pacer is not null) await Pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
                call.Attempts = attempt;

                AttemptOutcome outcome = await AttemptAsync(call, body, invocationId, attempt, cancellationToken).ConfigureAwait(false);
                bool throttled = outcome.Error is not null && ErrorCatalog.IsThrottling(outcome.Error.ErrorCode);
                quota?.OnResponse(throttled);
                Pacer?.OnResponse(throttled);
                if (outcome.Error is null)
                {
                    Retry.Quota.OnSuccess(lastRetryCost);
                    return outcome.Body!;
                }

                CognitoDeviceException error = outcome.Error;
                if (!ErrorCatalog.IsRetryable(error.ErrorCode, error.StatusCode)) throw error;
                if (attempt >= Retry.MaxAttempts) throw error;
                bool afterTimeout = error.ErrorCode == ErrorCatalog.ClientCodes.RequestTimeout;
                if (!Retry.Quota.TryAcquire(afterTimeout, out lastRetryCost))
                {
                    call.Verbose?.Invoke($"{call.Operation}: not retrying {error.ErrorCode}: the retry quota is used up (too many failures recently).");
                    throw error;
                }
                if (outcome.Ambiguous) call.EarlierAttemptMayHaveSucceeded = true;

                TimeSpan delay = Retry.DelayBeforeRetry(attempt);
                call.Verbose?.Invoke(string.Format(CultureInfo.InvariantCulture,
                    "{0}: attempt {1} of {2} failed with {3}{4}; retrying in {5:0.00} s.",
                    call.Operation, attempt, Retry.MaxAttempts, error.ErrorCode,
                    error.StatusCode is int s ? " (HTTP " + s.ToString(CultureInfo.InvariantCulture) + ")" : string.Empty,
                    delay.TotalSeconds));
                await _delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }

        private readonly struct AttemptOutcome
        {
            public AttemptOutcome(Dictionary<string, object?>? body, CognitoDeviceException? error, bool ambiguous)
            {
                Body = body;
                Error = error;
                Ambiguous = ambiguous;
            }

            public Dictionary<string, object?>? Body { get; }

            public CognitoDeviceException? Error { get; }

            /// <summary>The service may have acted on this attempt although it failed.</summary>
            public bool Ambiguous { get; }
        }

        private async Task<AttemptOutcome> AttemptAsync(CognitoCall call, byte[] body, string invocationId, int attempt,
            CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, call.Endpoint);
            request.Headers.TryAddWithoutValidation("X-Amz-Target", TargetPrefix + call.Operation);
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            request.Headers.TryAddWithoutValidation("amz-sdk-invocation-id", invocationId);
            request.Headers.TryAddWithoutValidation("amz-sdk-request",
                "attempt=" + attempt.ToString(CultureInfo.InvariantCulture) + "; max=" + Retry.MaxAttempts.ToString(CultureInfo.InvariantCulture));
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = JsonContentType;
            request.Content = content;
            call.Signer?.Sign(request, body, call.Region, _utcNow());
            // Taken after signing: a signer knows its (possibly refreshed) secret values once it has signed.
            IReadOnlyCollection<string> secrets = call.Signer is null ? call.Secrets : call.Secrets.Concat(call.Signer.SecretValues).ToList();

            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(Retry.AttemptTimeout);
            HttpResponseMessage response;
            byte[] responseBytes;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attemptTimeout.Token).ConfigureAwait(false);
                responseBytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (OperationCanceledException ex)
            {
                string message = string.Format(CultureInfo.InvariantCulture,
                    "{0} to {1} did not complete within {2:0.#} s.", call.Operation, call.Endpoint.Authority, Retry.AttemptTimeout.TotalSeconds);
                return new AttemptOutcome(null, new CognitoDeviceException(ErrorCatalog.ClientCodes.RequestTimeout, message, null, null, call.Operation, Scrub(ex, secrets)), ambiguous: true);
            }
            catch (Exception ex) when (ex is HttpRequestException || ex is IOException || ex is SocketException || ex is WebException || ex is AuthenticationException)
            {
                return new AttemptOutcome(null, TransportError(call, ex, secrets, out bool ambiguous), ambiguous);
            }

            using (response)
            {
                return Interpret(call, response, responseBytes, secrets);
            }
        }

        private static AttemptOutcome Interpret(CognitoCall call, HttpResponseMessage response, byte[] bytes, IReadOnlyCollection<string> secrets)
        {
            int status = (int)response.StatusCode;
            string? requestId = FirstHeader(response, "x-amzn-RequestId") ?? FirstHeader(response, "x-amz-request-id");
            string text;
            try
            {
                text = StrictUtf8.GetString(bytes);
            }
            catch (ArgumentException)
            {
                text = "\u0000"; // not UTF-8: unreadable, and never shown
            }

            if (status >= 200 && status < 300)
            {
                if (string.IsNullOrWhiteSpace(text)) return new AttemptOutcome(new Dictionary<string, object?>(StringComparer.Ordinal), null, false);
                try
                {
                    if (Json.Parse(text) is Dictionary<string, object?> document) return new AttemptOutcome(document, null, false);
                }
                catch (JsonFormatException)
                {
                }
                string message = $"{call.Operation} answered HTTP {status} with a body that is not a Cognito JSON object ({DescribeContent(response, bytes.Length)}).";
                return new AttemptOutcome(null, new CognitoDeviceException(ErrorCatalog.ClientCodes.UnreadableResponse, message, status, requestId, call.Operation, null), false);
            }

            if (AwsJsonError.TryParse(FirstHeader(response, "x-amzn-ErrorType"), text, out string code, out string? serviceMessage))
            {
                string message = SecretRedactor.Redact(string.IsNullOrEmpty(serviceMessage) ? code : serviceMessage, secrets);
                var error = ErrorCatalog.CreateServiceException(code, message, status, requestId, call.Operation);
                return new AttemptOutcome(null, error, ambiguous: status >= 500);
            }

            string unexpected = $"{call.Operation} got HTTP {status} ({response.ReasonPhrase}) that is not a Cognito error ({DescribeContent(response, bytes.Length)}): something other than Cognito answered.";
            return new AttemptOutcome(null, new CognitoDeviceException(ErrorCatalog.ClientCodes.UnexpectedResponse, SecretRedactor.Redact(unexpected, secrets), status, requestId, call.Operation, null), ambiguous: status >= 500);
        }

        private static string DescribeContent(HttpResponseMessage response, int length)
        {
            string type = response.Content.Headers.ContentType?.MediaType ?? "no content type";
            return type + ", " + length.ToString(CultureInfo.InvariantCulture) + " bytes";
        }

        private static string? FirstHeader(HttpResponseMessage response, string name)
        {
            if (response.Headers.TryGetValues(name, out IEnumerable<string>? values)) return values.FirstOrDefault();
            if (response.Content.Headers.TryGetValues(name, out values)) return values.FirstOrDefault();
            return null;
        }

        /// <summary>Maps a transport failure to a code: name resolution, TLS, or a connection failure.</summary>
        internal static CognitoDeviceException TransportError(CognitoCall call, Exception ex, IEnumerable<string> secrets, out bool ambiguous)
        {
            string code = ErrorCatalog.ClientCodes.ConnectionFailure;
            ambiguous = true;
            for (Exception? e = ex; e is not null; e = e.InnerException)
            {
                if (e is AuthenticationException)
                {
                    code = ErrorCatalog.ClientCodes.TlsFailure;
                    ambiguous = false;
                    break;
                }
                if (e is SocketException socket)
                {
                    if (socket.SocketErrorCode == SocketError.HostNotFound || socket.SocketErrorCode == SocketError.NoData)
                    {
                        code = ErrorCatalog.ClientCodes.NameResolutionFailure;
                    }
                    ambiguous = socket.SocketErrorCode != SocketError.ConnectionRefused && code == ErrorCatalog.ClientCodes.ConnectionFailure;
                    break;
                }
                if (e is WebException web)
                {
                    switch (web.Status)
                    {
                        case WebExceptionStatus.NameResolutionFailure:
                        case WebExceptionStatus.ProxyNameResolutionFailure:
                            code = ErrorCatalog.ClientCodes.NameResolutionFailure;
                            ambiguous = false;
                            break;
                        case WebExceptionStatus.TrustFailure:
                        case WebExceptionStatus.SecureChannelFailure:
                            code = ErrorCatalog.ClientCodes.TlsFailure;
                            ambiguous = false;
                            break;
                        case WebExceptionStatus.ConnectFailure:
                            ambiguous = false;
                            break;
                    }
                }
            }

            string what = code == ErrorCatalog.ClientCodes.NameResolutionFailure ? "could not resolve the host name"
                : code == ErrorCatalog.ClientCodes.TlsFailure ? "could not establish a trusted TLS connection"
                : "lost or could not open the connection";
            string detail = Innermost(ex).Message;
            string message = SecretRedactor.Redact($"{call.Operation} {what} to {call.Endpoint.Authority}: {detail}", secrets);
            return new CognitoDeviceException(code, message, null, null, call.Operation, Scrub(ex, secrets));
        }

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException is not null) ex = ex.InnerException;
            return ex;
        }

        /// <summary>
        /// The inner exception kept for diagnosis, with its message redacted (a transport exception may quote
        /// a URL or header). Type and message survive; the original object does not travel on.
        /// </summary>
        private static Exception Scrub(Exception ex, IEnumerable<string> secrets) =>
            new IOException(ex.GetType().FullName + ": " + SecretRedactor.Redact(Innermost(ex).Message, secrets));
    }
}
