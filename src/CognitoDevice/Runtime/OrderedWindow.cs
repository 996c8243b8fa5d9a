using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
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
    /// </summary>
    internal sealed class OrderedWindow<TKey, TResult>
    {
        private readonly Queue<(TKey Key, Task<TResult> Task)> _pending = new Queue<(TKey, Task<TResult>)>();
        private readonly ConcurrentQueue<string> _messages = new ConcurrentQueue<string>();
        private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);

        public OrderedWindow(int size)
        {
            if (size < 1) throw new ArgumentOutOfRangeException(nameof(size));
            Size = size;
        }

        public int Size { get; }

        public int Pending => _pending.Count;

        /// <summary>Starts one call on the thread pool (so work that blocks before its first await does not hold the pipeline).</summary>
        public void Start(TKey key, Func<Action<string>, Task<TResult>> work)
        {
            Action<string> sink = message =>
            {
                _messages.Enqueue(message);
                _signal.Release();
            };
            Task<TResult> task = Task.Run(() => work(sink));
            task.ContinueWith(static (_, s) => ((SemaphoreSlim)s!).Release(), _signal, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _pending.Enqueue((key, task));
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
                (TKey Key, Task<TResult> Task) head = _pending.Peek();
                if (head.Task.IsCompleted)
                {
                    _pending.Dequeue();
                    yield return head;
                    continue;
                }
                if (_pending.Count <= keepAtMost) yield break;
                _signal.Wait();
            }
        }

        private void Drain(Action<string> deliver)
        {
            while (_messages.TryDequeue(out string? message)) deliver(message);
        }
    }
}
