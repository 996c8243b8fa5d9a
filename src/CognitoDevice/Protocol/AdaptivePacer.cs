using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace CognitoDevice.Protocol
{
    /// <summary>
    /// AWS "adaptive" retry mode's client-side rate limiter: a token bucket that is off until the first
    /// throttle, then sends at a rate that backs off multiplicatively on throttling (×0.7) and grows back along
    /// a cubic curve (CUBIC congestion control) on success, never above twice the measured send rate.
    /// </summary>
    internal sealed class AdaptivePacer : IRequestPacer
    {
        private const double MinFillRate = 0.5;
        private const double MinCapacity = 1;
        private const double Smooth = 0.8;
        private const double Beta = 0.7;
        private const double ScaleConstant = 0.4;

        private readonly object _gate = new object();
        private readonly Func<double> _now;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay;

        private double _fillRate;
        private double _maxCapacity;
        private double _currentCapacity;
        private double _lastTimestamp;
        private bool _enabled;
        private double _measuredTxRate;
        private double _lastTxRateBucket;
        private int _requestCount;
        private double _lastMaxRate;
        private double _lastThrottleTime;
        private double _timeWindow;

        public AdaptivePacer(Func<double>? secondsClock = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
        {
            if (secondsClock is null)
            {
                var watch = Stopwatch.StartNew();
                secondsClock = () => watch.Elapsed.TotalSeconds;
            }
            _now = secondsClock;
            _delay = delay ?? Task.Delay;
            double now = _now();
            _lastTxRateBucket = Math.Floor(now);
            _lastThrottleTime = now;
        }

        /// <summary>The current send rate limit in requests per second, or null while pacing is off.</summary>
        public double? CurrentRate
        {
            get
            {
                lock (_gate) return _enabled ? _fillRate : (double?)null;
            }
        }

        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                TimeSpan wait;
                lock (_gate)
                {
                    if (!_enabled) return;
                    Refill();
                    if (_currentCapacity >= 1)
                    {
                        _currentCapacity -= 1;
                        return;
                    }
                    // At least a millisecond: a shorter wait rounds to zero (TimeSpan.FromSeconds rounds to
                    // milliseconds on .NET Framework) and would spin.
                    double seconds = Math.Max((1 - _currentCapacity) / _fillRate, 0.001);
                    wait = TimeSpan.FromTicks((long)Math.Ceiling(seconds * TimeSpan.TicksPerSecond));
                }
                await _delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        public void OnResponse(bool throttled)
        {
            lock (_gate)
            {
                double now = _now();
                UpdateMeasuredRate(now);
                double calculatedRate;
                if (throttled)
                {
                    double rateToUse = _enabled ? Math.Min(_measuredTxRate, _fillRate) : _measuredTxRate;
                    _lastMaxRate = rateToUse;
                    _timeWindow = Math.Pow(_lastMaxRate * (1 - Beta) / ScaleConstant, 1.0 / 3.0);
                    calculatedRate = rateToUse * Beta;
                    _lastThrottleTime = now;
                    _enabled = true;
                }
                else
                {
                    calculatedRate = ScaleConstant * Math.Pow(now - _lastThrottleTime - _timeWindow, 3) + _lastMaxRate;
                }
                double newRate = Math.Min(calculatedRate, 2 * _measuredTxRate);
                UpdateBucketRate(newRate, now);
            }
        }

        private void Refill()
        {
            double now = _now();
            if (_lastTimestamp == 0)
            {
                _lastTimestamp = now;
                return;
            }
            double fill = (now - _lastTimestamp) * _fillRate;
            _currentCapacity = Math.Min(_maxCapacity, _currentCapacity + fill);
            _lastTimestamp = now;
        }

        private void UpdateBucketRate(double newRate, double now)
        {
            Refill();
            _fillRate = Math.Max(newRate, MinFillRate);
            _maxCapacity = Math.Max(newRate, MinCapacity);
            _currentCapacity = Math.Min(_currentCapacity, _maxCapacity);
            _lastTimestamp = now;
        }

        private void UpdateMeasuredRate(double now)
        {
            double timeBucket = Math.Floor(now * 2) / 2;
            _requestCount++;
            if (timeBucket > _lastTxRateBucket)
            {
                double currentRate = _requestCount / (timeBucket - _lastTxRateBucket);
                _measuredTxRate = currentRate * Smooth + _measuredTxRate * (1 - Smooth);
                _requestCount = 0;
                _lastTxRateBucket = timeBucket;
            }
        }
    }
}
