using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace CognitoDevice.Bench
{
    /// <summary>
    /// A long-lived child (`dotnet ARGS`) that answers one "BENCH:{json}" line on stdout per JSON command line on
    /// stdin: the pwsh session of bench/pwsh/BenchServer.ps1 and the floor's <see cref="FloorServer"/>. Other stdout
    /// lines (host output) are ignored; stderr is kept (tail) for error messages. Commands may carry an access token:
    /// stdin is not visible to other users, a command line is; commands are never logged.
    /// </summary>
    internal sealed class LineChild : IAsyncDisposable
    {
        private const string Prefix = "BENCH:";
        private readonly Process _process;
        private readonly Channel<string> _answers = Channel.CreateUnbounded<string>();
        private readonly StringBuilder _stderr = new StringBuilder();
        private readonly string _name;

        private LineChild(Process process, string name)
        {
            _process = process;
            _name = name;
        }

        public int ProcessId => _process.Id;

        public static LineChild Start(string name, IReadOnlyList<string> dotnetArgs, IReadOnlyDictionary<string, string>? env)
        {
            var psi = new ProcessStartInfo(ChildProcess.DotnetHost)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = RepoPaths.Root,
                StandardInputEncoding = new UTF8Encoding(false),
            };
            foreach (string a in dotnetArgs) psi.ArgumentList.Add(a);
            BenchEnvironment.ConfigureChild(psi, env);
            var process = new Process { StartInfo = psi };
            var child = new LineChild(process, name);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    child._answers.Writer.TryComplete();
                    return;
                }
                if (e.Data.StartsWith(Prefix, StringComparison.Ordinal)) child._answers.Writer.TryWrite(e.Data.Substring(Prefix.Length));
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (child._stderr)
                {
                    child._stderr.AppendLine(e.Data);
                    if (child._stderr.Length > 8000) child._stderr.Remove(0, child._stderr.Length - 4000);
                }
            };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return child;
        }

        /// <summary>The next answer line, parsed; throws with the child's stderr when it ends or times out first.</summary>
        public async Task<JsonElement> ReadAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                string line = await _answers.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
                using JsonDocument doc = JsonDocument.Parse(line);
                JsonElement answer = doc.RootElement.Clone();
                if (answer.TryGetProperty("failure", out JsonElement failure))
                {
                    throw new InvalidOperationException(_name + " failed: " + failure.GetString());
                }
                return answer;
            }
            catch (OperationCanceledException)
            {
                throw new InvalidOperationException(_name + " gave no answer within " + timeout.TotalSeconds + " s. stderr: " + StdErrTail());
            }
            catch (ChannelClosedException)
            {
                throw new InvalidOperationException(_name + " ended without an answer. stderr: " + StdErrTail());
            }
        }

        public async Task<JsonElement> AskAsync(object command, TimeSpan timeout)
        {
            await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command)).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
            return await ReadAsync(timeout).ConfigureAwait(false);
        }

        public string StdErrTail()
        {
            lock (_stderr) return ChildProcess.Tail(_stderr.ToString(), 1500);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (!_process.HasExited)
                {
                    await _process.StandardInput.WriteLineAsync("{\"op\":\"exit\",\"scenario\":\"exit\"}").ConfigureAwait(false);
                    _process.StandardInput.Close();
                }
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is InvalidOperationException)
            {
            }
            using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
            {
                try
                {
                    await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    try
                    {
                        _process.Kill(entireProcessTree: true); // only the child this class started
                    }
                    catch (InvalidOperationException)
                    {
                    }
                    await _process.WaitForExitAsync().ConfigureAwait(false);
                }
            }
            _process.Dispose();
        }
    }
}
