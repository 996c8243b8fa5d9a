using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace CognitoDevice.Runtime
{
    /// <summary>
    /// Overlaps the calls of consecutive pipeline records while their outcomes are still written on the pipeline
    /// thread in input order: up to <see cref="Size"/> calls run at once; a new record waits only when the window is
    /// full, and then for the oldest call. The work's verbose messages are delivered on the waiting (pipeline) thread,
    /// as with <see cref="PipelinePump"/>. With pacing to a quota, this is what lets a piped removal run at the quota
    /// when each answer takes longer than the quota's interval (25/s and 40 ms is already one call in flight).
    /// Concurrency only where latency needs it: <see cref="Limit"/> stays 1 while the calls answer within
    /// <see cref="OverlapThresholdMs"/> (a fast link gains nothing from overlap and would pay for it in CPU), and opens
    /// to <see cref="Size"/> once their smoothed latency is above it.
    /// </summary>
    internal sealed class OrderedWindow<TKey, TResult>
    {
        /// <summary>Smoothed call latency above which consecutive calls overlap.</summary>
        public const double OverlapThresholdMs = 5;

        private readonly Queue<Slot> _pending = new Queue<Slot>();
        private double _latencyMs;
        private bool _measured;
        private readonly ConcurrentQueue<string> _messages = new ConcurrentQueue<string>();
        private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);

        public OrderedWindow(int size)
        {
            if (size < 1) throw new ArgumentOutOfRangeException(nameof(size));
            Size = size;
        }

        public int Size { get; }

        public int Pending => _pending.Count;

        /// <summary>How many calls may be pending now: 1 until the calls are seen to be slow, then <see cref="Size"/>.</summary>
        public int Limit => _measured && _latencyMs >= OverlapThresholdMs ? Size : 1;

        /// <summary>The smoothed latency of the calls delivered so far (milliseconds).</summary>
        public double LatencyMs => _latencyMs;

        /// <summary>Starts one call on the thread pool (so work that blocks before its first await does not hold the pipeline).</summary>
        public void Start(TKey key, Func<Action<string>, Task<TResult>> work)
        {
            Action<string> sink = message =>
            {
                _messages.Enqueue(message);
                _signal.Release();
            };
            var slot = new Slot(key, Stopwatch.GetTimestamp(), _signal);
            slot.Task = Task.Run(() => work(sink));
            slot.Task.ContinueWith(static (_, s) => ((Slot)s!).Finish(), slot, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _pending.Enqueue(slot);
        }

        /// <summary>
        /// The outcomes that are ready at the head, in input order; while more than <paramref name="keepAtMost"/> calls
        /// are pending, waits for the oldest. 0 drains everything (end of the pipeline); Size - 1 makes room for one more.
        /// </summary>
        public IEnumerable<(TKey Key, Task<TResult> Task)> Completed(int keepAtMost, Action<string> deliver)
        {
            while (true)
            {
                Drain(deliver);
                if (_pending.Count == 0) yield break;
                Slot head = _pending.Peek();
                if (head.Task!.IsCompleted)
                {
                    _pending.Dequeue();
                    Observe(head);
                    yield return (head.Key, head.Task);
                    continue;
                }
                if (_pending.Count <= keepAtMost) yield break;
                _signal.Wait();
            }
        }

        private void Observe(Slot slot)
        {
            long finished = Volatile.Read(ref slot.Finished);
            if (finished == 0) finished = Stopwatch.GetTimestamp();
            double ms = (finished - slot.Started) * 1000.0 / Stopwatch.Frequency;
            _latencyMs = _measured ? 0.7 * _latencyMs + 0.3 * ms : ms;
            _measured = true;
        }

        private sealed class Slot
        {
            private readonly SemaphoreSlim _signal;

            public Slot(TKey key, long started, SemaphoreSlim signal)
            {
                Key = key;
                Started = started;
                _signal = signal;
            }

            public TKey Key { get; }

            public long Started { get; }

            public long Finished;

            public Task<TResult>? Task { get; set; }

            public void Finish()
            {
                Volatile.Write(ref Finished, Stopwatch.GetTimestamp());
                _signal.Release();
            }
        }

        private void Drain(Action<string> deliver)
        {
            while (_messages.TryDequeue(out string? message)) deliver(message);
        }
    }
}
