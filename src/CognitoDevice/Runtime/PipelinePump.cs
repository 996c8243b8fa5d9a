using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace CognitoDevice.Runtime
{
    /// <summary>
    /// Runs async work while the calling (pipeline) thread waits, and delivers the work's messages on the
    /// calling thread as they arrive — PowerShell's Write* methods must not be called from another thread.
    /// </summary>
    internal static class PipelinePump
    {
        private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

        public static T Run<T>(Func<Action<string>, Task<T>> work, Action<string> deliver)
        {
            var messages = new ConcurrentQueue<string>();
            using var signal = new SemaphoreSlim(0);
            Action<string> sink = message =>
            {
                messages.Enqueue(message);
                signal.Release();
            };

            Task<T> task = Task.Run(() => work(sink));
            while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(0))
            {
                signal.Wait(Poll);
                Drain(messages, deliver);
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
