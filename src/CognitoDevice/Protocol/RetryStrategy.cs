using System;
using System.Threading;
using System.Threading.Tasks;

namespace CognitoDevice.Protocol
{
    /// <summary>
    /// AWS "standard" retry mode: a number of attempts (3 unless AWS_MAX_ATTEMPTS or max_attempts says otherwise),
    /// a delay of random × 2^(n-1) seconds before the n-th retry, capped at 20 s, and a <see cref="RetryQuota"/>.
    /// </summary>
    internal sealed class RetryStrategy
    {
        public const int DefaultMaxAttempts = 3;
        public static readonly TimeSpan DefaultMaxBackoff = TimeSpan.FromSeconds(20);
        public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(30);

        private readonly Func<double> _random;

        public RetryStrategy(int maxAttempts, RetryQuota quota, Func<double>? random = null, TimeSpan? maxBackoff = null, TimeSpan? attemptTimeout = null)
        {
            if (maxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(maxAttempts), "At least one attempt.");
            MaxAttempts = maxAttempts;
            Quota = quota ?? throw new ArgumentNullException(nameof(quota));
            _random = random ?? SharedRandom.NextDouble;
            MaxBackoff = maxBackoff ?? DefaultMaxBackoff;
            AttemptTimeout = attemptTimeout ?? DefaultAttemptTimeout;
        }

        public int MaxAttempts { get; }

        public RetryQuota Quota { get; }

        public TimeSpan MaxBackoff { get; }

        /// <summary>How long one attempt may take, from sending to the last byte of the answer.</summary>
        public TimeSpan AttemptTimeout { get; }

        /// <summary>The wait before retry number <paramref name="retry"/> (1 for the first retry).</summary>
        public TimeSpan DelayBeforeRetry(int retry)
        {
            if (retry < 1) throw new ArgumentOutOfRangeException(nameof(retry));
            double ceiling = Math.Min(Math.Pow(2, retry - 1), MaxBackoff.TotalSeconds);
            double seconds = Math.Min(_random() * ceiling, MaxBackoff.TotalSeconds);
            return TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
        }

        /// <summary>A thread-safe random source for the jitter.</summary>
        private static class SharedRandom
        {
            private static readonly Random Seed = new Random();
            [ThreadStatic] private static Random? _local;

            public static double NextDouble()
            {
                if (_local is null)
                {
                    int seed;
                    lock (Seed) seed = Seed.Next();
                    _local = new Random(seed);
                }
                return _local.NextDouble();
            }
        }
    }

    /// <summary>
    /// The standard mode retry quota: 500 tokens; a retry costs 5 (10 after a timeout); a success without
    /// retries gives 1 back, a success after retries gives back what its last retry cost. Without tokens,
    /// failures are not retried, so a failing endpoint is not hammered.
    /// </summary>
    internal sealed class RetryQuota
    {
        public const int InitialCapacity = 500;
        public const int RetryCost = 5;
        public const int TimeoutRetryCost = 10;
        public const int NoRetryIncrement = 1;

        private readonly object _gate = new object();
        private int _available;

        public RetryQuota(int capacity = InitialCapacity)
        {
            Capacity = capacity;
            _available = capacity;
        }

        public int Capacity { get; }

        public int Available
        {
            get
            {
                lock (_gate) return _available;
            }
        }

        public bool TryAcquire(bool afterTimeout, out int cost)
        {
            cost = afterTimeout ? TimeoutRetryCost : RetryCost;
            lock (_gate)
            {
                if (_available < cost)
                {
                    cost = 0;
                    return false;
                }
                _available -= cost;
                return true;
            }
        }

        public void OnSuccess(int lastRetryCost)
        {
            lock (_gate)
            {
                _available = Math.Min(Capacity, _available + (lastRetryCost > 0 ? lastRetryCost : NoRetryIncrement));
            }
        }
    }

    /// <summary>Client-side pacing (AWS "adaptive" mode). The standard mode uses none.</summary>
    internal interface IRequestPacer
    {
        Task WaitAsync(CancellationToken cancellationToken);

        void OnResponse(bool throttled);
    }
}
