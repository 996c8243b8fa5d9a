using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Protocol;
using CognitoDevice.Runtime;
using Xunit;

namespace CognitoDevice.Tests.Runtime
{
    public class CmdletPoliciesTests
    {
        [Theory]
        [InlineData(true, false, false, true)]   // -Force alone skips the prompt
        [InlineData(true, true, false, false)]   // -Force -Confirm: -Confirm wins
        [InlineData(true, false, true, false)]   // -Force with -WhatIf or inherited $WhatIfPreference: still what-if
        [InlineData(true, true, true, false)]
        [InlineData(false, false, false, false)]
        [InlineData(false, true, false, false)]
        public void Force_skips_ShouldProcess_only_without_Confirm_and_WhatIf(bool force, bool confirmBound, bool whatIf, bool skip) =>
            Assert.Equal(skip, CmdletPolicies.SkipShouldProcess(force, confirmBound, whatIf));

        [Theory]
        [InlineData(true, new string[0], false, true, true)]
        [InlineData(false, new string[0], false, true, false)]                       // no RawUI: a hosted runspace
        [InlineData(true, new[] { "pwsh", "-NonInteractive" }, false, true, false)]
        [InlineData(true, new[] { "powershell.exe", "-noni", "-File", "x.ps1" }, false, true, false)]
        [InlineData(true, new[] { "pwsh", "-NoProfile" }, false, true, true)]
        [InlineData(true, new string[0], true, true, false)]                         // output redirected (CI, a log)
        [InlineData(true, new string[0], false, false, false)]                       // a service account
        public void Progress_only_for_a_person_watching(bool rawUi, string[] args, bool redirected, bool interactive, bool show) =>
            Assert.Equal(show, CmdletPolicies.ShowProgress(rawUi, args, redirected, interactive));
    }

    public class PipelinePumpTests
    {
        [Fact]
        public void Messages_are_delivered_on_the_calling_thread_while_the_work_runs()
        {
            int caller = Environment.CurrentManagedThreadId;
            var delivered = new List<(string, int)>();
            var firstSeen = new ManualResetEventSlim();
            int result = PipelinePump.Run(async sink =>
            {
                sink("one");
                // The caller sees "one" before the work ends: it is pumped, not buffered to the end.
                Assert.True(firstSeen.Wait(TimeSpan.FromSeconds(5)));
                await Task.Delay(10);
                sink("two");
                return 42;
            }, m =>
            {
                delivered.Add((m, Environment.CurrentManagedThreadId));
                firstSeen.Set();
            });
            Assert.Equal(42, result);
            Assert.Equal(new[] { ("one", caller), ("two", caller) }, delivered);
        }

        [Fact]
        public void Many_messages_from_pool_threads_arrive_in_order_and_all_before_Run_returns()
        {
            int caller = Environment.CurrentManagedThreadId;
            var delivered = new List<string>();
            bool wrongThread = false;
            int result = PipelinePump.Run(async sink =>
            {
                for (int i = 0; i < 500; i++)
                {
                    sink("m" + i);
                    if (i % 50 == 0) await Task.Yield(); // hop between pool threads on the way
                }
                await Task.Delay(1);
                for (int i = 500; i < 1000; i++) sink("m" + i); // the last ones race with completion
                return 7;
            }, m =>
            {
                if (Environment.CurrentManagedThreadId != caller) wrongThread = true;
                delivered.Add(m);
            });
            Assert.Equal(7, result);
            Assert.False(wrongThread);
            Assert.Equal(Enumerable.Range(0, 1000).Select(i => "m" + i), delivered);
        }

        [Fact]
        public void Messages_of_one_call_are_delivered_before_the_next_call_starts()
        {
            // The cmdlet writes progress on the pipeline thread between calls: every verbose message of call k
            // must already be written by then, so verbose and progress keep their order.
            var log = new List<string>();
            for (int call = 0; call < 20; call++)
            {
                int k = call;
                PipelinePump.Run(async sink =>
                {
                    sink($"verbose {k} a");
                    await Task.Yield();
                    sink($"verbose {k} b");
                    return k;
                }, log.Add);
                log.Add($"progress {k}");
            }
            Assert.Equal(Enumerable.Range(0, 20).SelectMany(k => new[] { $"verbose {k} a", $"verbose {k} b", $"progress {k}" }), log);
        }

        [Fact]
        public void The_caller_wakes_when_the_work_completes_not_on_a_poll()
        {
            // 200 calls that each complete after an asynchronous hop: the loop of calls takes a few milliseconds.
            // A waiting loop that only wakes on a timer (it once polled every 50 ms) takes seconds; the bound is an
            // order of magnitude guard, not a timing goal.
            for (int i = 0; i < 20; i++) PipelinePump.Run(async _ => { await Task.Yield(); return i; }, _ => { });
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < 200; i++)
            {
                int n = PipelinePump.Run(async _ => { await Task.Yield(); return i; }, _ => { });
                Assert.Equal(i, n);
            }
            clock.Stop();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"200 pumped calls took {clock.Elapsed.TotalMilliseconds:N0} ms");
        }

        [Fact]
        public void Work_that_blocks_before_its_first_await_still_has_its_messages_delivered_meanwhile()
        {
            // A credential process, say, runs synchronously inside the work: the caller must not wait for it to
            // finish before it sees the messages the work already wrote.
            var seen = new ManualResetEventSlim();
            var delivered = new List<string>();
            string result = PipelinePump.Run(sink =>
            {
                sink("starting the credential process");
                bool sawIt = seen.Wait(TimeSpan.FromSeconds(5)); // blocks this thread, no await yet
                return Task.FromResult(sawIt ? "delivered while blocked" : "not delivered");
            }, m =>
            {
                delivered.Add(m);
                seen.Set();
            });
            Assert.Equal("delivered while blocked", result);
            Assert.Equal(new[] { "starting the credential process" }, delivered);
        }

        [Fact]
        public void The_works_exception_surfaces_unwrapped()
        {
            var ex = Assert.Throws<NotAuthorizedException>(() => PipelinePump.Run<int>(_ => throw new NotAuthorizedException("no"), _ => { }));
            Assert.Equal("no", ex.Message);
            Assert.ThrowsAny<OperationCanceledException>(() => PipelinePump.Run<int>(_ => Task.FromCanceled<int>(new CancellationToken(true)), _ => { }));
        }
    }

    public class SecretTextTests
    {
        [Theory]
        [InlineData("")]
        [InlineData("a")]
        [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")]
        [InlineData("é\u00a0\ud83d\ude00 and a quote \" and a backslash \\")]
        public void Protect_keeps_every_character_and_is_read_only(string value)
        {
            System.Security.SecureString secure = SecretText.Protect(value);
            Assert.True(secure.IsReadOnly());
            Assert.Equal(value.Length, secure.Length);
            Assert.Equal(value, SecretText.Reveal(secure));
        }

        [Fact]
        public void Protect_copies_a_long_token_in_one_piece()
        {
            // It runs on every invocation that binds -AccessToken from a string; appending character by character took
            // ~170 µs for a 670-character token (22 s for this loop). An order-of-magnitude guard, not a timing goal.
            string token = new string('x', 16000);
            for (int i = 0; i < 50; i++) SecretText.Protect(token).Dispose();
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < 1000; i++) SecretText.Protect(token).Dispose();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"1000 × Protect(16000 characters) took {clock.Elapsed.TotalMilliseconds:N0} ms");
            Assert.Equal(token, SecretText.Reveal(SecretText.Protect(token)));
        }
    }

    public class DependencyResolverTests
    {
        private const string AwsToken = "885c28607f98e604";
        private const string MicrosoftToken = "cc7b13ffcd2ddd51";

        [Theory]
        [InlineData("AWSSDK.Core, Version=4.0.0.0, Culture=neutral, PublicKeyToken=" + AwsToken, "AWSSDK.Core.dll")]   // what the module was built against
        [InlineData("AWSSDK.Core", "AWSSDK.Core.dll")]                                                                    // no version asked for
        [InlineData("System.Memory, Version=4.0.1.1, Culture=neutral, PublicKeyToken=" + MicrosoftToken, "System.Memory.dll")] // older, same major: ships 4.0.1.2
        [InlineData("System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken=" + MicrosoftToken, "System.Memory.dll")]
        [InlineData("AWSSDK.Core, Version=3.3.0.0, Culture=neutral, PublicKeyToken=" + AwsToken, null)]                  // AWS Tools v4's SDK: never ours
        [InlineData("AWSSDK.Core, Version=4.1.0.0, Culture=neutral, PublicKeyToken=" + AwsToken, null)]                  // newer than shipped
        [InlineData("AWSSDK.Core, Version=5.0.0.0, Culture=neutral, PublicKeyToken=" + AwsToken, null)]
        [InlineData("System.Memory, Version=4.0.1.3, Culture=neutral, PublicKeyToken=" + MicrosoftToken, null)]
        [InlineData("AWSSDK.Core, Version=4.0.0.0, Culture=neutral, PublicKeyToken=0123456789abcdef", null)]             // someone else's AWSSDK.Core
        [InlineData("AWSSDK.Core, Version=4.0.0.0, Culture=fr, PublicKeyToken=" + AwsToken, null)]                       // no satellites shipped
        [InlineData("Newtonsoft.Json, Version=13.0.0.0", null)]                                                           // not ours
        [InlineData("CognitoDevice, Version=0.1.0.0", null)]                                                              // never itself
        [InlineData("CognitoDevice.Loader, Version=0.1.0.0", null)]
        [InlineData("..\\..\\evil, Version=1.0.0.0", null)]
        [InlineData("../evil", null)]
        [InlineData("not an assembly name,,,", null)]
        [InlineData("", null)]
        public void Answers_only_for_a_name_and_version_the_module_ships(string requested, string? expectedFile)
        {
            string folder = TestPaths.ModuleFolder;
            string? expected = expectedFile is null ? null : Path.Combine(folder, expectedFile);
            Assert.Equal(expected, DependencyResolver.ResolvePath(requested, folder));
        }

        [Fact]
        public void Never_throws_for_a_missing_folder_or_a_file_that_is_not_an_assembly()
        {
            string folder = Path.Combine(Path.GetTempPath(), "cognitodevice-resolver-" + Guid.NewGuid().ToString("N"));
            Assert.Null(DependencyResolver.ResolvePath("AWSSDK.Core, Version=4.0.0.0", folder));
            Directory.CreateDirectory(folder);
            try
            {
                File.WriteAllText(Path.Combine(folder, "AWSSDK.Core.dll"), "not a PE file");
                Assert.Null(DependencyResolver.ResolvePath("AWSSDK.Core, Version=4.0.0.0", folder));
                Assert.Null(DependencyResolver.ResolvePath("AWSSDK.Core, Version=4.0.0.0", ""));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    public class ModuleLoadContextTests
    {
        [Fact]
        public void The_module_and_AWSSDK_Core_load_in_the_modules_context_from_its_folder_and_the_runtime_keeps_its_System_packages()
        {
            var context = new CognitoDevice.Loader.ModuleLoadContext(TestPaths.ModuleFolder, isCollectible: true, EndToEnd.TokenPathLoadTests.RuntimeAssemblies());
            try
            {
                Assert.Equal("CognitoDevice", context.Name);
                Assert.Equal(Path.Combine(TestPaths.ModuleFolder, "CognitoDevice.dll"), context.ModuleAssembly.Location);

                Assembly sdk = context.LoadFromAssemblyName(new AssemblyName("AWSSDK.Core, Version=4.0.0.0, Culture=neutral, PublicKeyToken=885c28607f98e604"));
                Assert.Same(context, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(sdk));
                Assert.Equal(Path.Combine(TestPaths.ModuleFolder, "AWSSDK.Core.dll"), sdk.Location);
                Assert.NotSame(sdk, typeof(Amazon.Runtime.AWSCredentials).Assembly); // the test host's own copy stays apart

                // System.Memory 4.0.1.x ships in the folder for Windows PowerShell; on .NET the runtime's newer copy is used.
                Assembly memory = context.LoadFromAssemblyName(new AssemblyName("System.Memory, Version=4.0.1.1, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51"));
                Assert.Same(System.Runtime.Loader.AssemblyLoadContext.Default, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(memory));
                Assert.Equal(Path.GetDirectoryName(typeof(object).Assembly.Location), Path.GetDirectoryName(memory.Location));

                // What the module does not ship is the default context's: PowerShell's and the runtime's assemblies.
                Assert.Same(typeof(object).Assembly, context.LoadFromAssemblyName(typeof(object).Assembly.GetName()));
            }
            finally
            {
                context.Unload();
            }
        }

        [Fact]
        public void The_AppDomain_fallback_is_for_a_module_outside_its_load_context_only()
        {
            var context = new CognitoDevice.Loader.ModuleLoadContext(TestPaths.ModuleFolder, isCollectible: true, EndToEnd.TokenPathLoadTests.RuntimeAssemblies());
            try
            {
                MethodInfo inContext = context.ModuleAssembly.GetType("CognitoDevice.Runtime.DependencyResolver", throwOnError: true)!
                    .GetMethod("InModuleLoadContext", BindingFlags.NonPublic | BindingFlags.Static)!;
                Assert.True((bool)inContext.Invoke(null, new object[] { context.ModuleAssembly })!);   // PowerShell 7 through the manifest: no handler
                Assert.False(DependencyResolver.InModuleLoadContext(typeof(DependencyResolver).Assembly)); // imported by path
            }
            finally
            {
                context.Unload();
            }
        }

        [Fact]
        public void The_loader_references_nothing_but_the_runtime()
        {
            string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            foreach (AssemblyName reference in typeof(CognitoDevice.Loader.ModuleLoadContext).Assembly.GetReferencedAssemblies())
            {
                Assert.True(File.Exists(Path.Combine(runtime, reference.Name + ".dll")), reference.FullName);
            }
        }
    }

    public class SecretRedactorTests
    {
        [Fact]
        public void Removes_known_secrets_and_anything_shaped_like_a_JWT()
        {
            string jwt = Configuration.RegionResolverTests.Jwt("{\"iss\":\"x\"}");
            string text = $"token {jwt} and key wJalrXUtnFEMI/K7MDENG and again wJalrXUtnFEMI/K7MDENG";
            string redacted = SecretRedactor.Redact(text, new[] { "wJalrXUtnFEMI/K7MDENG", null, "" });
            Assert.DoesNotContain(jwt, redacted);
            Assert.DoesNotContain("wJalrXUtnFEMI", redacted);
            Assert.Equal($"token {SecretRedactor.Mask} and key {SecretRedactor.Mask} and again {SecretRedactor.Mask}", redacted);
        }
    }

    public class AdaptivePacerTests
    {
        [Fact]
        public async Task Does_not_pace_until_throttled_then_backs_off_and_recovers()
        {
            double now = 0;
            var waited = TimeSpan.Zero;
            var pacer = new AdaptivePacer(() => now, (d, _) =>
            {
                waited += d;
                now += d.TotalSeconds;
                return Task.CompletedTask;
            });
            Assert.Null(pacer.CurrentRate);
            for (int i = 0; i < 100; i++)
            {
                await pacer.WaitAsync(CancellationToken.None);
                now += 0.01; // 100 requests per second
                pacer.OnResponse(throttled: false);
            }
            Assert.Equal(TimeSpan.Zero, waited);
            Assert.Null(pacer.CurrentRate);

            pacer.OnResponse(throttled: true);
            double afterThrottle = pacer.CurrentRate!.Value;
            Assert.InRange(afterThrottle, 0.5, 100 * 0.7 + 1);

            // Sending now is paced: 50 requests take at least 50 / rate seconds (minus the bucket's burst).
            double start = now;
            for (int i = 0; i < 50; i++)
            {
                await pacer.WaitAsync(CancellationToken.None);
                pacer.OnResponse(throttled: false);
            }
            Assert.True(waited > TimeSpan.Zero);
            Assert.True(now - start >= (50 - afterThrottle - 1) / (afterThrottle * 2.5), $"{now - start}s for 50 at {afterThrottle}/s");
        }
    }
}
