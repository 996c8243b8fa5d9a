using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace CognitoDevice.LocalEndpoint.Quotas
{
    /// <summary>
    /// Cognito's request-rate quotas ("Quotas in Amazon Cognito", operation categories): account-wide
    /// requests per second per category, plus per-user reads and writes per second. Off unless enabled
    /// (<see cref="LocalCognitoOptions.Quotas"/>, --quotas, POST /_local/quotas). Every rate is multiplied
    /// by <see cref="Scale"/>, so a test can keep Cognito's proportions while running faster or slower.
    /// </summary>
    public sealed class QuotaSettings
    {
        /// <summary>The category of each operation the endpoint serves.</summary>
        public static IReadOnlyDictionary<string, string> CategoryOf { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ListUsers"] = QuotaCategories.UserList,
            ["DescribeUserPool"] = QuotaCategories.UserPoolRead,
            ["AdminListDevices"] = QuotaCategories.UserResourceRead,
            ["AdminGetDevice"] = QuotaCategories.UserResourceRead,
            ["ListDevices"] = QuotaCategories.UserResourceRead,
            ["GetDevice"] = QuotaCategories.UserResourceRead,
            ["AdminForgetDevice"] = QuotaCategories.UserResourceUpdate,
            ["AdminUpdateDeviceStatus"] = QuotaCategories.UserResourceUpdate,
            ["ForgetDevice"] = QuotaCategories.UserResourceUpdate,
            ["UpdateDeviceStatus"] = QuotaCategories.UserResourceUpdate,
        };

        /// <summary>Cognito's default category quotas (requests per second, per account and region).</summary>
        public static IReadOnlyDictionary<string, double> CognitoDefaults { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [QuotaCategories.UserList] = 30,
            [QuotaCategories.UserPoolRead] = 15,
            [QuotaCategories.UserResourceRead] = 50,
            [QuotaCategories.UserResourceUpdate] = 25,
        };

        public const double CognitoPerUserReads = 10;
        public const double CognitoPerUserWrites = 10;

        /// <summary>Category name to requests per second (before <see cref="Scale"/>).</summary>
        public Dictionary<string, double> Categories { get; set; } = new Dictionary<string, double>(CognitoDefaults, StringComparer.Ordinal);

        /// <summary>Reads (ListDevices, GetDevice and their Admin forms) per second for one user; null: no per-user limit.</summary>
        public double? PerUserReads { get; set; } = CognitoPerUserReads;

        /// <summary>Writes (ForgetDevice, UpdateDeviceStatus and their Admin forms) per second for one user; null: no per-user limit.</summary>
        public double? PerUserWrites { get; set; } = CognitoPerUserWrites;

        /// <summary>Multiplies every rate (0.1 = a tenth of Cognito's quotas).</summary>
        public double Scale { get; set; } = 1;

        /// <summary>Cognito's defaults, scaled.</summary>
        public static QuotaSettings Cognito(double scale = 1) => new QuotaSettings { Scale = scale };

        public QuotaSettings Copy() => new QuotaSettings
        {
            Categories = new Dictionary<string, double>(Categories, StringComparer.Ordinal),
            PerUserReads = PerUserReads,
            PerUserWrites = PerUserWrites,
            Scale = Scale,
        };

        internal void Validate()
        {
            if (!(Scale > 0) || double.IsInfinity(Scale)) throw new ArgumentException("The quota scale must be a positive number.");
            foreach (KeyValuePair<string, double> c in Categories)
            {
                if (!CognitoDefaults.ContainsKey(c.Key)) throw new ArgumentException("Unknown quota category '" + c.Key + "' (known: " + string.Join(", ", CognitoDefaults.Keys) + ").");
                if (!(c.Value > 0) || double.IsInfinity(c.Value)) throw new ArgumentException("Quota " + c.Key + " must be a positive number.");
            }
            if (PerUserReads is double r && !(r > 0)) throw new ArgumentException("perUserReads must be a positive number.");
            if (PerUserWrites is double w && !(w > 0)) throw new ArgumentException("perUserWrites must be a positive number.");
        }

        public override string ToString() =>
            string.Join(", ", Categories.Select(c => c.Key + " " + (c.Value * Scale).ToString("0.##", CultureInfo.InvariantCulture))) +
            "; per user " + (PerUserReads is double r ? (r * Scale).ToString("0.##", CultureInfo.InvariantCulture) : "-") + " reads, " +
            (PerUserWrites is double w ? (w * Scale).ToString("0.##", CultureInfo.InvariantCulture) : "-") + " writes per second";
    }

    /// <summary>Names of Cognito's quota categories.</summary>
    public static class QuotaCategories
    {
        public const string UserList = "UserList";
        public const string UserPoolRead = "UserPoolRead";
        public const string UserResourceRead = "UserResourceRead";
        public const string UserResourceUpdate = "UserResourceUpdate";
    }

    /// <summary>What a <see cref="QuotaLimiter"/> decided for one request.</summary>
    public enum QuotaDecision
    {
        Allowed,
        CategoryExceeded,
        PerUserExceeded,
    }

    /// <summary>
    /// The buckets of the active <see cref="QuotaSettings"/>: one per category, one per user and direction.
    /// Each bucket holds at most one second of its rate (burst = ceil(rate)) and starts full. A refused
    /// request takes no token. Thread-safe; counts what it allowed and refused.
    /// </summary>
    public sealed class QuotaLimiter
    {
        private readonly object _gate = new object();
        private readonly Func<double> _clock;
        private QuotaSettings? _settings;
        private Dictionary<string, Bucket> _categories = new Dictionary<string, Bucket>(StringComparer.Ordinal);
        private Dictionary<string, Bucket> _users = new Dictionary<string, Bucket>(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _allowed = new Dictionary<string, long>(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _throttled = new Dictionary<string, long>(StringComparer.Ordinal);

        public QuotaLimiter(QuotaSettings? settings = null, Func<double>? secondsClock = null)
        {
            if (secondsClock is null)
            {
                long start = Stopwatch.GetTimestamp();
                secondsClock = () => (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
            }
            _clock = secondsClock;
            Configure(settings);
        }

        /// <summary>A copy of the active settings, or null when quotas are off.</summary>
        public QuotaSettings? Settings
        {
            get { lock (_gate) return _settings?.Copy(); }
        }

        /// <summary>Replaces the settings (null turns quotas off); buckets start full, counters are kept.</summary>
        public void Configure(QuotaSettings? settings)
        {
            QuotaSettings? copy = settings?.Copy();
            copy?.Validate();
            lock (_gate)
            {
                _settings = copy;
                _categories = new Dictionary<string, Bucket>(StringComparer.Ordinal);
                _users = new Dictionary<string, Bucket>(StringComparer.Ordinal);
                if (copy is null) return;
                double now = _clock();
                foreach (KeyValuePair<string, double> c in copy.Categories) _categories[c.Key] = new Bucket(c.Value * copy.Scale, now);
            }
        }

        /// <summary>Takes a token for the operation (and for the user, when the operation names one).</summary>
        public QuotaDecision TryAcquire(string operation, string? userKey)
        {
            lock (_gate)
            {
                QuotaDecision decision = Decide(operation, userKey);
                Dictionary<string, long> counter = decision == QuotaDecision.Allowed ? _allowed : _throttled;
                counter.TryGetValue(operation, out long n);
                counter[operation] = n + 1;
                return decision;
            }
        }

        private QuotaDecision Decide(string operation, string? userKey)
        {
            if (_settings is null || !QuotaSettings.CategoryOf.TryGetValue(operation, out string? category)) return QuotaDecision.Allowed;
            double now = _clock();
            Bucket? categoryBucket = _categories.TryGetValue(category, out Bucket? b) ? b : null;
            Bucket? userBucket = null;
            if (userKey is not null)
            {
                bool write = category == QuotaCategories.UserResourceUpdate;
                double? perUser = write ? _settings.PerUserWrites : category == QuotaCategories.UserResourceRead ? _settings.PerUserReads : null;
                if (perUser is double rate)
                {
                    string key = (write ? "w\n" : "r\n") + userKey;
                    if (!_users.TryGetValue(key, out userBucket))
                    {
                        if (_users.Count > 200_000) _users.Clear(); // full buckets only cost memory
                        userBucket = new Bucket(rate * _settings.Scale, now);
                        _users[key] = userBucket;
                    }
                }
            }
            if (categoryBucket is not null && !categoryBucket.CanTake(now)) return QuotaDecision.CategoryExceeded;
            if (userBucket is not null && !userBucket.CanTake(now)) return QuotaDecision.PerUserExceeded;
            categoryBucket?.Take();
            userBucket?.Take();
            return QuotaDecision.Allowed;
        }

        /// <summary>Allowed and throttled requests per operation since start (or <see cref="ResetCounters"/>).</summary>
        public IReadOnlyDictionary<string, (long Allowed, long Throttled)> Counters
        {
            get
            {
                lock (_gate)
                {
                    return _allowed.Keys.Union(_throttled.Keys).ToDictionary(k => k,
                        k => (_allowed.TryGetValue(k, out long a) ? a : 0, _throttled.TryGetValue(k, out long t) ? t : 0), StringComparer.Ordinal);
                }
            }
        }

        public void ResetCounters()
        {
            lock (_gate)
            {
                _allowed.Clear();
                _throttled.Clear();
            }
        }

        private sealed class Bucket
        {
            private readonly double _rate;
            private readonly double _capacity;
            private double _tokens;
            private double _last;

            public Bucket(double rate, double now)
            {
                _rate = rate;
                _capacity = Math.Max(1, Math.Ceiling(rate));
                _tokens = _capacity;
                _last = now;
            }

            public bool CanTake(double now)
            {
                _tokens = Math.Min(_capacity, _tokens + (now - _last) * _rate);
                _last = now;
                return _tokens >= 1;
            }

            public void Take() => _tokens -= 1;
        }
    }
}
