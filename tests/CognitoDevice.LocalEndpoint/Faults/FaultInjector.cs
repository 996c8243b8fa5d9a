using System;
using System.Collections.Generic;

namespace CognitoDevice.LocalEndpoint
{
    /// <summary>What an injected fault does to a matching request.</summary>
    public enum FaultKind
    {
        /// <summary>400 TooManyRequestsException "Rate exceeded" (the operation is not performed).</summary>
        Throttle,

        /// <summary>500 InternalErrorException (the operation is not performed).</summary>
        InternalError,

        /// <summary>An arbitrary answer (status, body, content type), e.g. a 502 HTML proxy page; not performed.</summary>
        Status,

        /// <summary>Waits <see cref="FaultRule.DelayDuration"/>, then processes normally; stops at once when the client aborts.</summary>
        Delay,

        /// <summary>Aborts the connection without answering; the operation is not performed.</summary>
        DropBeforeProcessing,

        /// <summary>Performs the operation, then aborts the connection without answering.</summary>
        DropAfterProcessing,

        /// <summary>Performs the operation, answers 200 with a Content-Length larger than the bytes sent, then aborts.</summary>
        TruncatedBody,

        /// <summary>Answers 200 with a non-JSON body ("&lt;&lt;not json&gt;&gt;"); the operation is not performed.</summary>
        GarbageBody,
    }

    /// <summary>
    /// A fault for the next <see cref="Count"/> matching requests (then it is used up). Optional
    /// filters: <see cref="Operation"/> (e.g. "ListDevices") and <see cref="DeviceKey"/> (matched
    /// against the request body's DeviceKey).
    /// </summary>
    public sealed class FaultRule
    {
        private int _remaining = -1;

        public FaultKind Kind { get; init; }

        /// <summary>How many matching requests the rule applies to (default 1).</summary>
        public int Count { get; init; } = 1;

        public string? Operation { get; init; }

        public string? DeviceKey { get; init; }

        /// <summary>For <see cref="FaultKind.Status"/>.</summary>
        public int StatusCode { get; init; } = 502;

        /// <summary>For <see cref="FaultKind.Status"/> (and <see cref="FaultKind.GarbageBody"/> when set).</summary>
        public string? Body { get; init; }

        /// <summary>For <see cref="FaultKind.Status"/> (and <see cref="FaultKind.GarbageBody"/> when set).</summary>
        public string? ContentType { get; init; }

        /// <summary>For <see cref="FaultKind.Delay"/>.</summary>
        public TimeSpan DelayDuration { get; init; }

        /// <summary>Matching requests still to be affected.</summary>
        public int Remaining => _remaining < 0 ? Count : _remaining;

        internal void Arm() => _remaining = Count;

        // Caller holds the injector lock.
        internal bool TryConsume(string? operation, string? deviceKey)
        {
            if (_remaining <= 0) return false;
            if (Operation != null && !string.Equals(Operation, operation, StringComparison.Ordinal)) return false;
            if (DeviceKey != null && !string.Equals(DeviceKey, deviceKey, StringComparison.Ordinal)) return false;
            _remaining--;
            return true;
        }

        public static FaultRule Throttle(int count = 1, string? operation = null, string? deviceKey = null) =>
            new FaultRule { Kind = FaultKind.Throttle, Count = count, Operation = operation, DeviceKey = deviceKey };

        public static FaultRule InternalError(int count = 1, string? operation = null, string? deviceKey = null) =>
            new FaultRule { Kind = FaultKind.InternalError, Count = count, Operation = operation, DeviceKey = deviceKey };

        public static FaultRule Status(int status, string body, string contentType, int count = 1, string? operation = null, string? deviceKey = null) =>
            new FaultRule { Kind = FaultKind.Status, StatusCode = status, Body = body, ContentType = contentType, Count = count, Operation = operation, DeviceKey = deviceKey };

        public static FaultRule Delay(TimeSpan delay, int count = 1, string? operation = null, string? deviceKey = null) =>
            new FaultRule { Kind = FaultKind.Delay, DelayDuration = delay, Count = count, Operation = operation, DeviceKey = deviceKey };

        public static FaultRule DropBeforeProcessing(int count = 1, string? operation = null, string? deviceKey = null) =>
            new FaultRule { Kind = FaultKind.DropBeforeProcessing, Count = count, Operation = operation, DeviceKey = deviceKey };

        public static FaultRule DropAfterProcessing(int count = 1, string? operation = null, string? deviceKey = null) =>
            new FaultRule { Kind = FaultKind.DropAfterProcessing, Count = count, Operation = operation, DeviceKey = deviceKey };

        public static FaultRule TruncatedBody(int count = 1, string? operation = null, string? deviceKey = null) =>
            new FaultRule { Kind = FaultKind.TruncatedBody, Count = count, Operation = operation, DeviceKey = deviceKey };

        public static FaultRule GarbageBody(int count = 1, string? operation = null, string? deviceKey = null) =>
            new FaultRule { Kind = FaultKind.GarbageBody, Count = count, Operation = operation, DeviceKey = deviceKey };

        public override string ToString() =>
            Kind + " x" + Count + (Operation is null ? "" : " op=" + Operation) + (DeviceKey is null ? "" : " key=" + DeviceKey);
    }

    /// <summary>Per-instance fault rules; the first armed rule that matches a request applies (thread-safe).</summary>
    public sealed class FaultInjector
    {
        private readonly object _gate = new object();
        private readonly List<FaultRule> _rules = new List<FaultRule>();

        public void Add(FaultRule rule)
        {
            if (rule is null) throw new ArgumentNullException(nameof(rule));
            if (rule.Count < 1) throw new ArgumentOutOfRangeException(nameof(rule), "Count must be at least 1.");
            lock (_gate)
            {
                rule.Arm();
                _rules.Add(rule);
            }
        }

        /// <summary>Throttles the next <paramref name="n"/> requests (optionally of one operation).</summary>
        public void ThrottleNext(int n, string? operation = null) => Add(FaultRule.Throttle(n, operation));

        public void Clear()
        {
            lock (_gate) _rules.Clear();
        }

        /// <summary>Rules not used up yet.</summary>
        public IReadOnlyList<FaultRule> Pending
        {
            get
            {
                lock (_gate) return _rules.FindAll(r => r.Remaining > 0);
            }
        }

        internal FaultRule? TryTake(string? operation, string? deviceKey)
        {
            lock (_gate)
            {
                for (int i = 0; i < _rules.Count; i++)
                {
                    FaultRule rule = _rules[i];
                    if (rule.TryConsume(operation, deviceKey))
                    {
                        if (rule.Remaining <= 0) _rules.RemoveAt(i);
                        return rule;
                    }
                }
                return null;
            }
        }
    }
}
