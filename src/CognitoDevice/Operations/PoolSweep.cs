using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Errors;

namespace CognitoDevice.Operations
{
    /// <summary>What a sweep delivers: a device of a user, or the one error for a user whose devices could not be listed.</summary>
    internal sealed class SweepItem
    {
        private SweepItem(string username, Device? device, CognitoDeviceException? error)
        {
            Username = username;
            Device = device;
            Error = error;
        }

        public string Username { get; }

        public Device? Device { get; }

        public CognitoDeviceException? Error { get; }

        public static SweepItem Found(string username, Device device) => new SweepItem(username, device, null);

        public static SweepItem Failed(string username, CognitoDeviceException error) => new SweepItem(username, null, error);
    }

    /// <summary>
    /// Every device of every user of a pool: ListUsers pages (one after the other, as the token chain requires)
    /// feed AdminListDevices calls per user with at most <see cref="MaxInFlight"/> running at once. Results are
    /// delivered on the calling thread in ListUsers order, each user's devices together, while later users are
    /// already being fetched (at most <see cref="MaxBuffered"/> users ahead, so memory does not grow with the pool).
    /// Stopping the enumeration (Select-Object -First) or cancelling stops every request at once.
    /// <see cref="ResumeToken"/> names the first user not yet delivered completely.
    /// </summary>
    internal sealed class PoolSweep : IDisposable
    {
        public const int DefaultMaxInFlight = 32;
        public const int DefaultMaxBuffered = 256;

        private readonly string _userPoolId;
        private readonly string? _filter;
        private readonly Func<string?, Action<string>, CancellationToken, Task<UserPage>> _listUsers;
        private readonly Func<string, Action<string>, CancellationToken, Task<IReadOnlyList<Device>>> _listDevices;
        private readonly CancellationToken _external;
        private readonly CancellationTokenSource _stop;
        private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);
        private readonly ConcurrentQueue<string> _messages = new ConcurrentQueue<string>();
        private readonly ConcurrentQueue<Entry> _entries = new ConcurrentQueue<Entry>();
        private readonly SemaphoreSlim _inFlight;
        private readonly SemaphoreSlim _buffered;
        private readonly Stopwatch _clock = new Stopwatch();
        private SweepPosition? _position;
        private volatile bool _producerDone;
        private Exception? _producerError;
        private bool _started;

        public PoolSweep(string userPoolId, string? filter, string? resumeToken,
            Func<string?, Action<string>, CancellationToken, Task<UserPage>> listUsers,
            Func<string, Action<string>, CancellationToken, Task<IReadOnlyList<Device>>> listDevices,
            CancellationToken cancellationToken, int maxInFlight = DefaultMaxInFlight, int maxBuffered = DefaultMaxBuffered)
        {
            if (maxInFlight < 1) throw new ArgumentOutOfRangeException(nameof(maxInFlight));
            if (maxBuffered < maxInFlight) throw new ArgumentOutOfRangeException(nameof(maxBuffered));
            _userPoolId = userPoolId ?? throw new ArgumentNullException(nameof(userPoolId));
            _filter = string.IsNullOrEmpty(filter) ? null : filter;
            _listUsers = listUsers ?? throw new ArgumentNullException(nameof(listUsers));
            _listDevices = listDevices ?? throw new ArgumentNullException(nameof(listDevices));
            _position = resumeToken is null ? SweepPosition.Start : SweepPosition.Decode(resumeToken, userPoolId, _filter);
            _external = cancellationToken;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            MaxInFlight = maxInFlight;
            MaxBuffered = maxBuffered;
            _inFlight = new SemaphoreSlim(maxInFlight);
            _buffered = new SemaphoreSlim(maxBuffered);
        }

        public int MaxInFlight { get; }

        public int MaxBuffered { get; }

        /// <summary>Users whose devices were all delivered (or whose one error was).</summary>
        public int UsersScanned { get; private set; }

        public int DevicesFound { get; private set; }

        /// <summary>Users whose devices could not be listed (each delivered as one error).</summary>
        public int UsersFailed { get; private set; }

        public TimeSpan Elapsed => _clock.Elapsed;

        /// <summary>Users scanned per second so far.</summary>
        public double UsersPerSecond => _clock.Elapsed.TotalSeconds > 0 ? UsersScanned / _clock.Elapsed.TotalSeconds : 0;

        /// <summary>True once every user was delivered.</summary>
        public bool Completed => _position is null;

        /// <summary>
        /// Where to continue: pass it to a new sweep of the same pool and filter. It holds the pool ID, a hash of the
        /// filter, Cognito's ListUsers pagination token and a count of users to skip; never a credential. Null once complete.
        /// </summary>
        public string? ResumeToken => _position?.Encode(_userPoolId, _filter);

        /// <summary>Runs the sweep; call once, from the thread that may write (verbose messages are delivered there).</summary>
        public IEnumerable<SweepItem> Run(Action<string> deliverVerbose)
        {
            if (deliverVerbose is null) throw new ArgumentNullException(nameof(deliverVerbose));
            if (_started) throw new InvalidOperationException("A sweep runs once.");
            _started = true;
            return RunIterator(deliverVerbose);
        }

        private IEnumerable<SweepItem> RunIterator(Action<string> deliverVerbose)
        {
            _clock.Start();
            SweepPosition start = _position!;
            Task producer = Task.Run(() => ProduceAsync(start));
            try
            {
                while (true)
                {
                    Drain(deliverVerbose);
                    if (_entries.TryPeek(out Entry? head))
                    {
                        if (!head.Task.IsCompleted)
                        {
                            _signal.Wait(_external);
                            continue;
                        }
                        _entries.TryDequeue(out _);
                        _buffered.Release();
                        if (head.Task.IsCanceled || head.Task.IsFaulted)
                        {
                            _external.ThrowIfCancellationRequested();
                            head.Task.GetAwaiter().GetResult(); // rethrows what is not a per-user failure
                        }
                        UserDevices result = head.Task.Result;
                        if (result.Error is not null)
                        {
                            UsersFailed++;
                            yield return SweepItem.Failed(head.Username, result.Error);
                        }
                        else
                        {
                            foreach (Device device in result.Devices!)
                            {
                                DevicesFound++;
                                yield return SweepItem.Found(head.Username, device);
                            }
                        }
                        UsersScanned++;
                        _position = head.After;
                        continue;
                    }
                    if (_producerDone)
                    {
                        if (!_entries.IsEmpty) continue; // enqueued just before it finished
                        Drain(deliverVerbose);
                        _external.ThrowIfCancellationRequested();
                        if (_producerError is not null) throw Rethrowable(_producerError);
                        _position = null;
                        yield break;
                    }
                    _signal.Wait(_external);
                }
            }
            finally
            {
                _clock.Stop();
                _stop.Cancel(); // an early stop: end ListUsers and every AdminListDevices in flight
            }
        }

        private static Exception Rethrowable(Exception e) => e is CognitoDeviceException c ? c : new AggregateException(e);

        private async Task ProduceAsync(SweepPosition start)
        {
            CancellationToken ct = _stop.Token;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            string? token = start.PageToken;
            int skip = start.Skip;
            try
            {
                do
                {
                    UserPage page = await _listUsers(token, Post, ct).ConfigureAwait(false);
                    string? next = page.PaginationToken;
                    for (int i = skip; i < page.Usernames.Count; i++)
                    {
                        await _buffered.WaitAsync(ct).ConfigureAwait(false);
                        await _inFlight.WaitAsync(ct).ConfigureAwait(false);
                        SweepPosition? after = i + 1 < page.Usernames.Count ? new SweepPosition(token, i + 1) : next is null ? null : new SweepPosition(next, 0);
                        var entry = new Entry(page.Usernames[i], after, FetchAsync(page.Usernames[i], ct));
                        _ = entry.Task.ContinueWith(static (_, s) => ((SemaphoreSlim)s!).Release(), _signal, CancellationToken.None,
                            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                        _entries.Enqueue(entry);
                        _signal.Release();
                    }
                    skip = 0;
                    if (next is not null && !seen.Add(next))
                    {
                        throw new CognitoDeviceException(ErrorCatalog.ClientCodes.UnexpectedResponse,
                            "Cognito returned a ListUsers pagination token it had already returned; the sweep stopped to avoid an endless loop.");
                    }
                    token = next;
                }
                while (token is not null);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                _producerError = e;
            }
            finally
            {
                _producerDone = true;
                _signal.Release();
            }
        }

        private async Task<UserDevices> FetchAsync(string username, CancellationToken ct)
        {
            try
            {
                return new UserDevices(await _listDevices(username, Post, ct).ConfigureAwait(false), null);
            }
            catch (CognitoDeviceException e) when (!(e is CognitoDeviceConfigurationException))
            {
                return new UserDevices(null, e);
            }
            finally
            {
                _inFlight.Release();
            }
        }

        private void Post(string message)
        {
            _messages.Enqueue(message);
            _signal.Release();
        }

        private void Drain(Action<string> deliver)
        {
            while (_messages.TryDequeue(out string? message)) deliver(message);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
        }

        private sealed class Entry
        {
            public Entry(string username, SweepPosition? after, Task<UserDevices> task)
            {
                Username = username;
                After = after;
                Task = task;
            }

            public string Username { get; }

            /// <summary>The position after this user (null: it is the last).</summary>
            public SweepPosition? After { get; }

            public Task<UserDevices> Task { get; }
        }

        private sealed class UserDevices
        {
            public UserDevices(IReadOnlyList<Device>? devices, CognitoDeviceException? error)
            {
                Devices = devices;
                Error = error;
            }

            public IReadOnlyList<Device>? Devices { get; }

            public CognitoDeviceException? Error { get; }
        }
    }

    /// <summary>
    /// A place in the ListUsers sequence: the pagination token of a page (null for the first page) and how many of its
    /// users are done. As a resume token: "cdsweep1." + base64url of version, pool ID, filter hash, skip and token.
    /// </summary>
    internal sealed class SweepPosition
    {
        private const string Prefix = "cdsweep1.";

        public SweepPosition(string? pageToken, int skip)
        {
            PageToken = pageToken;
            Skip = skip;
        }

        public static SweepPosition Start { get; } = new SweepPosition(null, 0);

        public string? PageToken { get; }

        public int Skip { get; }

        public string Encode(string userPoolId, string? filter)
        {
            string text = string.Join("\n", "1", userPoolId, FilterHash(filter), Skip.ToString(CultureInfo.InvariantCulture), PageToken ?? string.Empty);
            return Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }

        /// <summary>Reads a resume token made for the same pool and filter; anything else is ResumeTokenInvalid.</summary>
        public static SweepPosition Decode(string token, string userPoolId, string? filter)
        {
            string[]? fields = null;
            if (token is not null && token.StartsWith(Prefix, StringComparison.Ordinal))
            {
                string b64 = token.Substring(Prefix.Length).Replace('-', '+').Replace('_', '/');
                b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
                try
                {
                    fields = Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split(new[] { '\n' }, 5);
                }
                catch (FormatException)
                {
                    fields = null;
                }
            }
            if (fields is null || fields.Length != 5 || fields[0] != "1" ||
                !int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out int skip))
            {
                throw new CognitoDeviceException(ErrorCatalog.ClientCodes.ResumeTokenInvalid,
                    "The resume token is not one that a sweep of Get-CognitoDevice printed.");
            }
            if (fields[1] != userPoolId || fields[2] != FilterHash(string.IsNullOrEmpty(filter) ? null : filter))
            {
                throw new CognitoDeviceException(ErrorCatalog.ClientCodes.ResumeTokenInvalid,
                    $"The resume token belongs to a sweep of user pool '{fields[1]}' with {(fields[2].Length == 0 ? "no -UserFilter" : "a -UserFilter")} that differs from this one; pass the same -UserPoolId and -UserFilter.");
            }
            return new SweepPosition(fields[4].Length == 0 ? null : fields[4], skip);
        }

        private static string FilterHash(string? filter)
        {
            if (filter is null) return string.Empty;
            using var sha = SHA256.Create();
            byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(filter));
            var sb = new StringBuilder(16);
            for (int i = 0; i < 8; i++) sb.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
            return sb.ToString();
        }
    }
}
