using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Errors;

namespace CognitoDevice.Protocol
{
    /// <summary>
    /// Client-side pacing to Cognito's request-rate quotas ("Quotas in Amazon Cognito"): one schedule per
    /// quota category, shared by every call of the session, and one per user and direction (reads, writes).
    /// A call waits for a slot of its user, then of its category; slots are 1/rate apart. A call whose slot
    /// passed less than half a second ago takes it at once (timers fire late, a busy machine stalls threads);
    /// after a longer pause the schedule restarts without a burst. So over any window the calls stay within
    /// the quota plus half a second's worth, inside the one second of burst a token bucket of the quota allows. When Cognito throttles anyway (other clients share the account's quota), the
    /// category's rate drops to 70 % and grows back by 2 % of the quota per success (AIMD); the retry
    /// strategy retries the throttled call.
    /// </summary>
    internal sealed class QuotaPacing
    {
        public const string UserList = "UserList";
        public const string UserPoolRead = "UserPoolRead";
        public const string UserResourceRead = "UserResourceRead";
        public const string UserResourceUpdate = "UserResourceUpdate";
        public const string PerUserRead = "PerUserRead";
        public const string PerUserWrite = "PerUserWrite";

        /// <summary>Environment variables COGNITODEVICE_QUOTA_&lt;NAME&gt; override these (requests per second; 0 = not paced).</summary>
        public const string EnvironmentPrefix = "COGNITODEVICE_QUOTA_";

        /// <summary>Cognito's default quotas, requests per second (per account and region; per user for the last two).</summary>
        public static Dictionary<string, double> Defaults => new Dictionary<string, double>(DefaultRates, StringComparer.Ordinal);

        private static readonly Dictionary<string, double> DefaultRates = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [UserList] = 30,
            [UserPoolRead] = 15,
            [UserResourceRead] = 50,
            [UserResourceUpdate] = 25,
            [PerUserRead] = 10,
            [PerUserWrite] = 10,
        };

        private static readonly Dictionary<string, string> CategoryOf = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ListUsers"] = UserList,
            ["DescribeUserPool"] = UserPoolRead,
            ["AdminListDevices"] = UserResourceRead,
            ["AdminGetDevice"] = UserResourceRead,
            ["ListDevices"] = UserResourceRead,
            ["GetDevice"] = UserResourceRead,
            ["AdminForgetDevice"] = UserResourceUpdate,
            ["AdminUpdateDeviceStatus"] = UserResourceUpdate,
            ["ForgetDevice"] = UserResourceUpdate,
            ["UpdateDeviceStatus"] = UserResourceUpdate,
        };

        private const double CatchUpSeconds = 0.5;
        private const double Decrease = 0.7;
        private const double IncreaseFraction = 0.02;
        private const int MaxIdleUsers = 4096;

        private readonly object _gate = new object();
        private readonly Func<double> _now;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay;
        private readonly Dictionary<string, Schedule> _categories = new Dictionary<string, Schedule>(StringComparer.Ordinal);
        private readonly Dictionary<string, Schedule> _users = new Dictionary<string, Schedule>(StringComparer.Ordinal);
        private Dictionary<string, double> _rates = Defaults;

        public QuotaPacing(IReadOnlyDictionary<string, double>? rates = null, Func<double>? secondsClock = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
        {
            if (secondsClock is null)
            {
                var watch = Stopwatch.StartNew();
                secondsClock = () => watch.Elapsed.TotalSeconds;
            }
            _now = secondsClock;
            _delay = delay ?? Task.Delay;
            Configure(rates ?? Defaults);
        }

        /// <summary>The configured rate per name (0 = not paced).</summary>
        public IReadOnlyDictionary<string, double> Rates
        {
            get { lock (_gate) return new Dictionary<string, double>(_rates, StringComparer.Ordinal); }
        }

        /// <summary>The category's current rate (below the configured one after throttling), or null when not paced.</summary>
        public double? CurrentRate(string category)
        {
            lock (_gate) return _categories.TryGetValue(category, out Schedule? s) && s.Rate > 0 ? s.Rate : (double?)null;
        }

        /// <summary>Sets the rates (missing names keep Cognito's defaults). Schedules whose rate changes start afresh.</summary>
        public void Configure(IReadOnlyDictionary<string, double> rates)
        {
            Dictionary<string, double> merged = Defaults;
            foreach (KeyValuePair<string, double> r in rates)
            {
                if (!DefaultRates.ContainsKey(r.Key)) throw new ArgumentException("Unknown quota '" + r.Key + "'.", nameof(rates));
                if (r.Value < 0 || double.IsNaN(r.Value) || double.IsInfinity(r.Value)) throw new ArgumentException("Quota " + r.Key + " must be 0 or a positive number.", nameof(rates));
                merged[r.Key] = r.Value;
            }
            lock (_gate)
            {
                foreach (KeyValuePair<string, double> r in merged)
                {
                    if (_rates.TryGetValue(r.Key, out double old) && old == r.Value && _categories.ContainsKey(r.Key)) continue;
                    _categories[r.Key] = new Schedule(r.Value);
                }
                if (!SameUserRates(merged)) _users.Clear();
                _rates = merged;
            }
        }

        private bool SameUserRates(Dictionary<string, double> merged) =>
            _rates[PerUserRead] == merged[PerUserRead] && _rates[PerUserWrite] == merged[PerUserWrite];

        /// <summary>
        /// Reads COGNITODEVICE_QUOTA_USERLIST, _USERPOOLREAD, _USERRESOURCEREAD, _USERRESOURCEUPDATE, _PERUSERREAD,
        /// _PERUSERWRITE (requests per second, 0 = not paced). A value that is not a number is a configuration error.
        /// </summary>
        public static Dictionary<string, double> RatesFromEnvironment(Func<string, string?> getEnvironmentVariable)
        {
            var rates = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (string name in DefaultRates.Keys)
            {
                string variable = EnvironmentPrefix + name.ToUpperInvariant();
                string? text = getEnvironmentVariable(variable);
                if (string.IsNullOrWhiteSpace(text)) continue;
                if (!double.TryParse(text!.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value < 0 || double.IsInfinity(value))
                {
                    throw new CognitoDeviceConfigurationException(ErrorCatalog.ClientCodes.QuotaInvalid,
                        $"{variable} must be a number of requests per second (0 turns pacing off for {name}), not '{text}'.", null);
                }
                rates[name] = value;
            }
            return rates;
        }

        /// <summary>The category of an operation, or null for one this module does not pace.</summary>
        public static string? Category(string operation) => CategoryOf.TryGetValue(operation, out string? c) ? c : null;

        /// <summary>The pacer of one call: its category and, for an Admin call on a user, the user's reads or writes.</summary>
        public IRequestPacer For(string operation, string? userKey)
        {
            string? category = Category(operation);
            if (category is null) return NoPacer.Instance;
            string? direction = category == UserResourceUpdate ? "w\n" : category == UserResourceRead ? "r\n" : null;
            string? user = userKey is null || direction is null ? null : direction + userKey;
            return new CallPacer(this, category, user);
        }

        private async Task WaitAsync(string category, string? user, CancellationToken cancellationToken)
        {
            if (user is not null)
            {
                TimeSpan wait;
                lock (_gate) wait = Reserve(UserSchedule(user));
                if (wait > TimeSpan.Zero) await _delay(wait, cancellationToken).ConfigureAwait(false);
            }
            TimeSpan categoryWait;
            lock (_gate) categoryWait = Reserve(_categories[category]);
            if (categoryWait > TimeSpan.Zero) await _delay(categoryWait, cancellationToken).ConfigureAwait(false);
        }

        private void OnResponse(string category, bool throttled)
        {
            lock (_gate)
            {
                Schedule s = _categories[category];
                double configured = _rates[category];
                if (configured <= 0) return;
                s.Rate = throttled ? Math.Max(configured * 0.05, s.Rate * Decrease) : Math.Min(configured, s.Rate + configured * IncreaseFraction);
            }
        }

        private Schedule UserSchedule(string user)
        {
            if (_users.TryGetValue(user, out Schedule? s)) return s;
            if (_users.Count >= MaxIdleUsers)
            {
                // A schedule idle for a second has no effect on the next call: forget those.
                double now = _now();
                var idle = new List<string>();
                foreach (KeyValuePair<string, Schedule> kv in _users) if (kv.Value.Next < now - 1) idle.Add(kv.Key);
                foreach (string key in idle) _users.Remove(key);
            }
            s = new Schedule(_rates[user[0] == 'w' ? PerUserWrite : PerUserRead]);
            _users[user] = s;
            return s;
        }

        /// <summary>Takes the next slot of a schedule and returns how long to wait for it (callers hold the gate).</summary>
        private TimeSpan Reserve(Schedule s)
        {
            if (s.Rate <= 0) return TimeSpan.Zero;
            double now = _now();
            double interval = 1 / s.Rate;
            // A slot in the recent past is still usable (a timer that fired late, or a stalled thread, may catch
            // up, by at most CatchUpSeconds); after a longer pause the schedule starts again now, with no burst.
            double slot = s.Next >= now - CatchUpSeconds ? s.Next : now;
            s.Next = slot + interval;
            double wait = slot - now;
            return wait <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)Math.Ceiling(wait * TimeSpan.TicksPerSecond));
        }

        private sealed class Schedule
        {
            public Schedule(double rate) => Rate = rate;

            public double Rate { get; set; }

            /// <summary>When the next slot begins (seconds on the pacing clock).</summary>
            public double Next { get; set; } = double.NegativeInfinity;
        }

        private sealed class CallPacer : IRequestPacer
        {
            private readonly QuotaPacing _owner;
            private readonly string _category;
            private readonly string? _user;

            public CallPacer(QuotaPacing owner, string category, string? user)
            {
                _owner = owner;
                _category = category;
                _user = user;
            }

            public Task WaitAsync(CancellationToken cancellationToken) => _owner.WaitAsync(_category, _user, cancellationToken);

            public void OnResponse(bool throttled) => _owner.OnResponse(_category, throttled);
        }

        private sealed class NoPacer : IRequestPacer
        {
            public static readonly NoPacer Instance = new NoPacer();

            public Task WaitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public void OnResponse(bool throttled)
            {
            }
        }
    }
}
