using System;
using System.Collections.Generic;
using System.Threading;

namespace CognitoDevice.LocalEndpoint
{
    /// <summary>One service request as received and answered (control API calls are not recorded).</summary>
    public sealed class RecordedRequest
    {
        public long Sequence { get; init; }

        public DateTime UtcTime { get; init; }

        public string Method { get; init; } = "";

        public string Path { get; init; } = "";

        /// <summary>Request headers (case-insensitive); X-Amz-Security-Token is redacted.</summary>
        public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The request body as received (UTF-8).</summary>
        public string Body { get; init; } = "";

        /// <summary>The operation from X-Amz-Target (null when absent or not of this service).</summary>
        public string? Operation { get; init; }

        /// <summary>Kestrel's connection id: equal ids mean the same TCP connection was reused.</summary>
        public string ConnectionId { get; init; } = "";

        /// <summary>HTTP status sent; 0 when the connection was aborted without an answer (drop faults, client abort).</summary>
        public int StatusCode { get; init; }

        /// <summary>The __type of an error answer, null on success.</summary>
        public string? ErrorCode { get; init; }

        /// <summary>The injected fault that applied, if any.</summary>
        public FaultKind? Fault { get; init; }

        /// <summary>True when the client went away before the answer was complete.</summary>
        public bool ClientAborted { get; init; }

        public double ElapsedMs { get; init; }

        public override string ToString() =>
            "#" + Sequence + " " + (Operation ?? Method + " " + Path) + " -> " + StatusCode + (ErrorCode is null ? "" : " " + ErrorCode);
    }

    /// <summary>The request log of one instance (thread-safe, keeps the last <see cref="Capacity"/> entries).</summary>
    public sealed class RequestLog
    {
        private readonly object _gate = new object();
        private readonly LinkedList<RecordedRequest> _entries = new LinkedList<RecordedRequest>();
        private long _sequence;
        private int _capacity = 10_000;
        private volatile bool _enabled = true;

        /// <summary>When false, requests are not recorded (e.g. for benchmarks). Default true.</summary>
        public bool Enabled
        {
            get => _enabled;
            set => _enabled = value;
        }

        /// <summary>Maximum entries kept (default 10 000); older ones are dropped first.</summary>
        public int Capacity
        {
            get { lock (_gate) return _capacity; }
            set
            {
                if (value < 1) throw new ArgumentOutOfRangeException(nameof(value));
                lock (_gate)
                {
                    _capacity = value;
                    while (_entries.Count > _capacity) _entries.RemoveFirst();
                }
            }
        }

        public IReadOnlyList<RecordedRequest> Snapshot()
        {
            List<RecordedRequest> list;
            lock (_gate) list = new List<RecordedRequest>(_entries);
            list.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
            return list;
        }

        public void Clear()
        {
            lock (_gate) _entries.Clear();
        }

        internal long NextSequence() => Interlocked.Increment(ref _sequence);

        internal void Add(RecordedRequest entry)
        {
            if (!_enabled) return;
            lock (_gate)
            {
                _entries.AddLast(entry);
                while (_entries.Count > _capacity) _entries.RemoveFirst();
            }
        }
    }
}
