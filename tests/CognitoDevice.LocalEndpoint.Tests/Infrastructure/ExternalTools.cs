using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace CognitoDevice.LocalEndpoint.Tests.Infrastructure
{
    /// <summary>
    /// Runs real AWS clients (boto3 via python3, AWS CLI v1) as child processes, confined to
    /// 127.0.0.1: every AWS_* variable of the parent is removed, config and credential files
    /// point to a nonexistent directory, IMDS is disabled, proxies are off, and only the fake
    /// test credentials passed here are visible. Callers always pass an explicit endpoint URL
    /// on 127.0.0.1 and a region.
    /// </summary>
    public static class ExternalTools
    {
        private static readonly Lazy<string?> s_boto3SkipReason = new Lazy<string?>(() => Probe("python3", new[] { "-c", "import boto3, botocore; print(boto3.__version__)" }, "python3 with boto3"));
        private static readonly Lazy<string?> s_awsCliSkipReason = new Lazy<string?>(() => Probe("aws", new[] { "--version" }, "aws (AWS CLI)"));

        /// <summary>Null when python3 can import boto3; otherwise why boto3 tests are skipped.</summary>
        public static string? Boto3SkipReason => s_boto3SkipReason.Value;

        public static string? AwsCliSkipReason => s_awsCliSkipReason.Value;

        public static string NonexistentAwsDir { get; } = Path.Combine(Path.GetTempPath(), "cognito-local-no-aws-config-" + Guid.NewGuid().ToString("N"));

        private static string? Probe(string file, string[] args, string what)
        {
            try
            {
                ProcessResult r = RunAsync(file, args, stdin: null, credential: null, region: "us-east-1", TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
                if (r.ExitCode != 0)
                {
                    // The last line says why (e.g. "ModuleNotFoundError: No module named 'boto3'").
                    string detail = (r.StdErr + "\n" + r.StdOut).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
                    if (detail.Length > 200) detail = detail.Substring(0, 200);
                    return what + " not found on PATH: `" + file + " " + string.Join(" ", args) + "` exited " + r.ExitCode + ": " + detail;
                }
                return null;
            }
            catch (Exception e)
            {
                return what + " not found on PATH: " + e.GetType().Name + ": " + e.Message;
            }
        }

        public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr);

        public static void ConfineEnvironment(ProcessStartInfo psi, TestCredential? credential, string region)
        {
            foreach (string key in psi.Environment.Keys.ToList())
            {
                if (key.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase) ||
                    key.Equals("HTTP_PROXY", StringComparison.OrdinalIgnoreCase) ||
                    key.Equals("HTTPS_PROXY", StringComparison.OrdinalIgnoreCase) ||
                    key.Equals("ALL_PROXY", StringComparison.OrdinalIgnoreCase) ||
                    key.Equals("REQUESTS_CA_BUNDLE", StringComparison.OrdinalIgnoreCase))
                {
                    psi.Environment.Remove(key);
                }
            }
            psi.Environment["NO_PROXY"] = "127.0.0.1,localhost";
            psi.Environment["no_proxy"] = "127.0.0.1,localhost";
            psi.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
            psi.Environment["AWS_CONFIG_FILE"] = Path.Combine(NonexistentAwsDir, "config");
            psi.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(NonexistentAwsDir, "credentials");
            psi.Environment["AWS_DEFAULT_REGION"] = region;
            psi.Environment["AWS_REGION"] = region;
            psi.Environment["AWS_MAX_ATTEMPTS"] = "1";
            psi.Environment["AWS_RETRY_MODE"] = "standard";
            psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
            psi.Environment["PYTHONIOENCODING"] = "utf-8";
            if (credential != null)
            {
                psi.Environment["AWS_ACCESS_KEY_ID"] = credential.AccessKeyId;
                psi.Environment["AWS_SECRET_ACCESS_KEY"] = credential.SecretAccessKey;
                if (credential.SessionToken != null) psi.Environment["AWS_SESSION_TOKEN"] = credential.SessionToken;
            }
        }

        public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, string? stdin, TestCredential? credential, string region, TimeSpan timeout)
        {
            var psi = new ProcessStartInfo(file)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            foreach (string a in args) psi.ArgumentList.Add(a);
            ConfineEnvironment(psi, credential, region);
            using var process = new Process { StartInfo = psi };
            process.Start();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (stdin != null)
            {
                await process.StandardInput.WriteAsync(stdin);
            }
            process.StandardInput.Close();
            using var cts = new System.Threading.CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException(file + " did not finish within " + timeout + ". stderr: " + await stderr);
            }
            return new ProcessResult(process.ExitCode, await stdout, await stderr);
        }

        /// <summary>
        /// Runs boto3_driver.py: one boto3 client (endpoint_url, region, retries) and a list of calls;
        /// returns one JSON result per call.
        /// </summary>
        public static async Task<IReadOnlyList<JsonElement>> Boto3Async(Uri endpoint, TestCredential? credential, IEnumerable<object> calls,
            string region = "us-east-1", int maxAttempts = 1, string? verify = null)
        {
            Assert.Equal("127.0.0.1", endpoint.Host);
            var spec = new Dictionary<string, object?>
            {
                ["endpoint"] = endpoint.GetLeftPart(UriPartial.Authority),
                ["region"] = region,
                ["max_attempts"] = maxAttempts,
                ["verify"] = verify,
                ["calls"] = calls.ToList(),
            };
            string driver = Path.Combine(AppContext.BaseDirectory, "boto3_driver.py");
            ProcessResult r = await RunAsync("python3", new[] { driver }, JsonSerializer.Serialize(spec), credential, region, TimeSpan.FromSeconds(90));
            Assert.True(r.ExitCode == 0, "boto3 driver failed (" + r.ExitCode + "): " + r.StdErr + r.StdOut);
            using JsonDocument doc = JsonDocument.Parse(r.StdOut);
            return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
        }

        public static object Call(string method, object parameters) => new Dictionary<string, object> { ["method"] = method, ["params"] = parameters };

        /// <summary>Runs `aws cognito-idp ...` with --endpoint-url, --region and JSON output.</summary>
        public static Task<ProcessResult> AwsCliAsync(Uri endpoint, TestCredential? credential, string region, params string[] args)
        {
            Assert.Equal("127.0.0.1", endpoint.Host);
            var all = new List<string> { "cognito-idp" };
            all.AddRange(args);
            all.AddRange(new[] { "--endpoint-url", endpoint.GetLeftPart(UriPartial.Authority), "--region", region, "--output", "json", "--cli-connect-timeout", "5", "--cli-read-timeout", "20" });
            return RunAsync("aws", all, stdin: null, credential, region, TimeSpan.FromSeconds(90));
        }
    }

    /// <summary>A fact that is skipped (honestly, with the reason) when python3 cannot import boto3.</summary>
    public sealed class Boto3FactAttribute : FactAttribute
    {
        public Boto3FactAttribute()
        {
            string? reason = ExternalTools.Boto3SkipReason;
            if (reason != null) Skip = reason;
        }
    }

    /// <summary>A fact that is skipped (with the reason) when the aws CLI is missing.</summary>
    public sealed class AwsCliFactAttribute : FactAttribute
    {
        public AwsCliFactAttribute()
        {
            string? reason = ExternalTools.AwsCliSkipReason;
            if (reason != null) Skip = reason;
        }
    }
}
