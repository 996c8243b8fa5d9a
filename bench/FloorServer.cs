using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace CognitoDevice.Bench
{
    /// <summary>
    /// --floor-server URL USER_AGENT: the plain-HttpClient floor as a long-lived process of its own, beside the
    /// long-lived pwsh session, so both sides have their own CPU account (the endpoint runs in the parent). One JSON
    /// command per stdin line, one "BENCH:{json}" answer per command:
    ///   {"op":"forget","token":"…","keysFile":"…"}  ForgetDevice for every key, sequentially (FloorSide, byte-identical to the module's requests)
    ///   {"op":"list","token":"…","limit":60}        ListDevices page after page with a plain HttpClient, JSON parsed only for the devices and the next token
    /// </summary>
    internal static class FloorServer
    {
        public const string Mode = "--floor-server";

        private static readonly MediaTypeHeaderValue JsonType = new MediaTypeHeaderValue("application/x-amz-json-1.1");

        public static int Run(string[] args)
        {
            if (args.Length != 3)
            {
                Console.Error.WriteLine("usage: " + Mode + " <url> <user agent>");
                return 2;
            }
            string url = args[1];
            string userAgent = args[2];
            using var floor = new FloorSide(url, userAgent, 3);
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None }, disposeHandler: true)
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
            Answer(new Dictionary<string, object?> { ["ready"] = true, ["pid"] = Environment.ProcessId });
            string? line;
            while ((line = Console.In.ReadLine()) is not null)
            {
                if (line.Length == 0) continue;
                using JsonDocument doc = JsonDocument.Parse(line);
                JsonElement c = doc.RootElement;
                string op = c.GetProperty("op").GetString() ?? "";
                if (op == "exit") break;
                try
                {
                    string token = c.GetProperty("token").GetString() ?? "";
                    string[] keys = c.TryGetProperty("keysFile", out JsonElement kf) ? File.ReadAllLines(kf.GetString()!) : Array.Empty<string>();
                    int limit = c.TryGetProperty("limit", out JsonElement l) ? l.GetInt32() : 60;
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    bool peakReset = ResetPeak();
                    TimeSpan cpu0 = Cpu();
                    long t0 = Stopwatch.GetTimestamp();
                    int count = 0, pages = 0;
                    if (op == "forget")
                    {
                        ForgetAll(floor, token, keys).GetAwaiter().GetResult();
                        count = keys.Length;
                    }
                    else if (op == "list")
                    {
                        (count, pages) = ListAll(http, url, userAgent, token, limit).GetAwaiter().GetResult();
                    }
                    else
                    {
                        throw new InvalidOperationException("unknown op " + op);
                    }
                    double wallMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                    double cpuMs = (Cpu() - cpu0).TotalMilliseconds;
                    Answer(new Dictionary<string, object?>
                    {
                        ["op"] = op,
                        ["count"] = count,
                        ["pages"] = pages,
                        ["wallMs"] = wallMs,
                        ["cpuMs"] = cpuMs,
                        ["peakKiB"] = PeakKiB(),
                        ["peakReset"] = peakReset,
                    });
                }
                catch (Exception ex) when (ex is InvalidOperationException || ex is HttpRequestException || ex is IOException || ex is JsonException || ex is KeyNotFoundException)
                {
                    Answer(new Dictionary<string, object?> { ["op"] = op, ["failure"] = ex.GetType().Name + ": " + ex.Message });
                }
            }
            return 0;
        }

        private static async Task ForgetAll(FloorSide floor, string token, string[] keys)
        {
            foreach (string key in keys) await floor.ForgetAsync(token, key).ConfigureAwait(false);
        }

        private static async Task<(int Devices, int Pages)> ListAll(HttpClient http, string url, string userAgent, string token, int limit)
        {
            var endpoint = new Uri(url, UriKind.Absolute);
            string? next = null;
            int devices = 0, pages = 0;
            do
            {
                string body = "{\"AccessToken\":\"" + token + "\",\"Limit\":" + limit.ToString(CultureInfo.InvariantCulture)
                    + (next is null ? "" : ",\"PaginationToken\":" + JsonSerializer.Serialize(next)) + "}";
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
                request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService.ListDevices");
                request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
                request.Headers.TryAddWithoutValidation("amz-sdk-invocation-id", Guid.NewGuid().ToString());
                request.Headers.TryAddWithoutValidation("amz-sdk-request", "attempt=1; max=3");
                var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                content.Headers.ContentType = JsonType;
                request.Content = content;
                using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException("floor list: HTTP " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                byte[] answer = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                using JsonDocument doc = JsonDocument.Parse(answer);
                pages++;
                if (doc.RootElement.TryGetProperty("Devices", out JsonElement list)) devices += list.GetArrayLength();
                next = doc.RootElement.TryGetProperty("PaginationToken", out JsonElement p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            }
            while (next is not null && pages < 100_000);
            return (devices, pages);
        }

        private static TimeSpan Cpu()
        {
            using Process p = Process.GetCurrentProcess();
            return p.TotalProcessorTime;
        }

        /// <summary>Linux: resets the kernel's peak resident set size (VmHWM) of this process.</summary>
        private static bool ResetPeak()
        {
            try
            {
                File.WriteAllText("/proc/self/clear_refs", "5");
                return true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return false;
            }
        }

        private static long PeakKiB()
        {
            try
            {
                foreach (string line in File.ReadLines("/proc/self/status"))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        return long.Parse(line.Substring(6).Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
            }
            using Process p = Process.GetCurrentProcess();
            return p.PeakWorkingSet64 / 1024;
        }

        private static void Answer(Dictionary<string, object?> value)
        {
            Console.Out.Write("BENCH:" + JsonSerializer.Serialize(value) + "\n");
            Console.Out.Flush();
        }
    }
}
