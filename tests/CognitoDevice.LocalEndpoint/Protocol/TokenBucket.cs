using System;
using System.Diagnostics;

namespace CognitoDevice.LocalEndpoint.Protocol
{
    /// <summary>Account-wide token bucket: refills at rate per second, burst = ceil(rate).</summary>
    internal sealed class TokenBucket
    {
        private readonly object _gate = new object();
        private readonly double _rate;
        private readonly double _capacity;
        private double _tokens;
        private long _lastTimestamp;

        public TokenBucket(double requestsPerSecond)
        {
            if (!(requestsPerSecond > 0) || double.IsInfinity(requestsPerSecond))
            {
                throw new ArgumentOutOfRangeException(nameof(requestsPerSecond), "RequestsPerSecond must be a positive number.");
            }
            _rate = requestsPerSecond;
            _capacity = Math.Ceiling(requestsPerSecond);
            _tokens = _capacity;
            _lastTimestamp = Stopwatch.GetTimestamp();
        }

        public bool TryTake()
        {
            lock (_gate)
            {
                long now = Stopwatch.GetTimestamp();
                double elapsed = (now - _lastTimestamp) / (double)Stopwatch.Frequency;
                _lastTimestamp = now;
                _tokens = Math.Min(_capacity, _tokens + elapsed * _rate);
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    return true;
                }
                return false;
            }
        }
    }
}
