using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Runtime;
using Xunit;

namespace CognitoDevice.Tests.Sweep
{
    /// <summary>Overlapped calls of consecutive records: outcomes in input order, bounded, messages on the waiting thread.</summary>
    public sealed class OrderedWindowTests
    {
        [Fact]
        public async Task Outcomes_come_in_input_order_although_calls_finish_in_any_order()
        {
            var window = new OrderedWindow<int, int>(4);
            var delivered = new List<int>();
            var messages = new List<string>();
            int running = 0, maxRunning = 0;
            var random = new Random(3);
            for (int i = 0; i < 40; i++)
            {
                int n = i;
                int delay;
                lock (random) delay = random.Next(1, 15);
                window.Start(n, async verbose =>
                {
                    int now = Interlocked.Increment(ref running);
                    lock (window) maxRunning = Math.Max(maxRunning, now);
                    await Task.Delay(delay);
                    verbose("done " + n);
                    Interlocked.Decrement(ref running);
                    return n * 10;
                });
                Assert.InRange(window.Pending, 1, 4);
                foreach ((int key, Task<int> task) in window.Completed(window.Size - 1, messages.Add))
                {
                    Assert.True(task.IsCompleted);
                    Assert.Equal(key * 10, await task);
                    delivered.Add(key);
                }
                Assert.InRange(window.Pending, 0, 3);
            }
            foreach ((int key, Task<int> _) in window.Completed(0, messages.Add)) delivered.Add(key);
            Assert.Equal(Enumerable.Range(0, 40), delivered);
            Assert.Equal(0, window.Pending);
            Assert.Equal(40, messages.Count);
            Assert.InRange(maxRunning, 2, 4); // calls did overlap, never more than the window
        }

        [Theory]
        [InlineData(0, 1)]   // answers at once (loopback): one call at a time, no overlap to pay for
        [InlineData(20, 4)]  // 20 ms answers (a real link): the window opens to its size
        public void Calls_overlap_only_once_they_are_seen_to_be_slow(int delayMs, int expectedMaxPending)
        {
            var window = new OrderedWindow<int, int>(4);
            int maxPending = 0;
            for (int i = 0; i < 30; i++)
            {
                int n = i;
                window.Start(n, async _ =>
                {
                    if (delayMs > 0) await Task.Delay(delayMs); else await Task.Yield();
                    return n;
                });
                maxPending = Math.Max(maxPending, window.Pending);
                foreach (var _ in window.Completed(window.Limit - 1, _ => { })) { }
            }
            foreach (var _ in window.Completed(0, _ => { })) { }
            Assert.Equal(expectedMaxPending, maxPending);
            Assert.Equal(expectedMaxPending > 1, window.LatencyMs >= OrderedWindow<int, int>.OverlapThresholdMs);
        }

        [Fact]
        public async Task A_failed_call_is_delivered_in_its_place_and_the_others_go_on()
        {
            var window = new OrderedWindow<string, string>(3);
            window.Start("a", async _ => { await Task.Delay(30); return "A"; });
            window.Start("b", _ => Task.FromException<string>(new InvalidOperationException("b failed")));
            window.Start("c", _ => Task.FromResult("C"));
            var outcomes = new List<string>();
            foreach ((string key, Task<string> task) in window.Completed(0, _ => { }).ToList())
            {
                outcomes.Add(key + ":" + (task.IsFaulted ? "error" : await task));
            }
            Assert.Equal(new[] { "a:A", "b:error", "c:C" }, outcomes);
        }

        [Fact]
        public void Work_that_blocks_before_its_first_await_does_not_block_the_caller()
        {
            var window = new OrderedWindow<int, int>(2);
            using var gate = new ManualResetEventSlim();
            window.Start(1, _ =>
            {
                gate.Wait(); // e.g. a credential process
                return Task.FromResult(1);
            });
            Assert.Empty(window.Completed(1, _ => { })); // returns at once: one pending is allowed
            gate.Set();
            Assert.Single(window.Completed(0, _ => { }));
        }
    }
}

namespace CognitoDevice.Tests.Sweep
{
    public sealed class CallsInFlightPolicyTests
    {
        [Theory]
        [InlineData("Continue", 8)]
        [InlineData("SilentlyContinue", 8)]
        [InlineData("Ignore", 8)]
        [InlineData(null, 8)]
        [InlineData("Stop", 1)]
        [InlineData("stop", 1)]
        [InlineData("Inquire", 1)]
        public void Overlaps_unless_the_first_failure_must_stop_the_command(string? errorAction, int expected) =>
            Assert.Equal(expected, CognitoDevice.Runtime.CmdletPolicies.CallsInFlight(8, errorAction));
    }
}
