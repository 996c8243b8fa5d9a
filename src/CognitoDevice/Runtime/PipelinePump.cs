using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace CognitoDevice.Runtime
{
    /// <summary>
    /// Runs async work while the calling (pipeline) thread waits, and delivers the work's messages on the
    /// calling thread as they arrive — PowerShell's Write* methods must not be called from another thread.
    /// The waiting thread wakes when a message arrives or the work completes, never on a poll: a completed
    /// call costs no more than the call itself.
    /// </summary>
    internal static class PipelinePump
    {
        public static T Run<T>(Func<Action<string>, Task<T>> work, Action<string> deliver)
        {
            var messages = new ConcurrentQueue<string>();
            // Not disposed: the completion callback may release it after Run has returned, and a SemaphoreSlim
            // whose wait handle is never asked for holds nothing to free.
            var signal = new SemaphoreSlim(0);
            Action<string> sink = message =>
            {
                messages.Enqueue(message);
                signal.Release();
            };

            // On the thread pool, so that work which blocks before its first await (a credential process, say)
            // still has its messages delivered while it runs.
            Task<T> task = Task.Run(() => work(sink));
            if (!task.IsCompleted)
            {
                task.ContinueWith(static (_, state) => ((SemaphoreSlim)state!).Release(), signal,
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                while (!task.IsCompleted)
                {
                    signal.Wait();
                    Drain(messages, deliver);
                }
            }
            Drain(messages, deliver);
            return task.GetAwaiter().GetResult();
        }

        private static void Drain(ConcurrentQueue<string> messages, Action<string> deliver)
        {
            while (messages.TryDequeue(out string? message)) deliver(message);
        }
    }
}
