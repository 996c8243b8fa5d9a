using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Tests.Infrastructure;
using Xunit;

namespace CognitoDevice.LocalEndpoint.Tests
{
    /// <summary>The standalone executable: demo seed and a banner without tokens or secrets.</summary>
    public sealed class StandaloneTests
    {
        private static void AssertNoSecrets(string text)
        {
            foreach (TestCredential c in new[] { LocalCredentials.Default, LocalCredentials.Session, LocalCredentials.Denied })
            {
                Assert.DoesNotContain(c.SecretAccessKey, text, StringComparison.Ordinal);
                if (c.SessionToken != null) Assert.DoesNotContain(c.SessionToken, text, StringComparison.Ordinal);
            }
            Assert.DoesNotMatch(new Regex("eyJ[A-Za-z0-9_-]{10,}"), text); // no JWT
        }

        [Fact]
        public async Task Banner_shows_a_ready_to_paste_example_without_secrets()
        {
            await using LocalCognito cognito = await LocalCognito.StartAsync();
            UserPool pool = cognito.State.CreatePool("us-east-1", Program.DemoPoolId);
            var devices = cognito.State.SeedDevices(cognito.State.CreateUser(pool, Program.DemoUser), 5);
            string url = cognito.Url.GetLeftPart(UriPartial.Authority);
            string banner = Program.Banner(cognito, devices);
            Assert.Contains("$token = (Invoke-RestMethod -Method Post -Uri " + url + "/_local/tokens -ContentType application/json -Body '{\"poolId\":\"us-east-1_LocalDemo\",\"username\":\"alice\"}').AccessToken", banner, StringComparison.Ordinal);
            Assert.Contains("Import-Module ./output/CognitoDevice", banner, StringComparison.Ordinal);
            Assert.Contains("Get-CognitoDevice -AccessToken $token -EndpointUrl " + url, banner, StringComparison.Ordinal);
            Assert.Contains("Remove-CognitoDevice -AccessToken $token -DeviceKey " + devices[0].DeviceKey + " -EndpointUrl " + url + " -WhatIf", banner, StringComparison.Ordinal);
            Assert.Contains("$env:AWS_SHARED_CREDENTIALS_FILE = './tests/CognitoDevice.LocalEndpoint/local-credentials'", banner, StringComparison.Ordinal);
            Assert.Contains("-ProfileName cognito-local", banner, StringComparison.Ordinal);
            AssertNoSecrets(banner);
        }

        [Fact]
        public async Task Executable_starts_seeds_the_demo_and_prints_no_secrets()
        {
            string dll = Path.Combine(AppContext.BaseDirectory, "CognitoDevice.LocalEndpoint.dll");
            string runtimeConfig = Path.Combine(AppContext.BaseDirectory, "CognitoDevice.LocalEndpoint.runtimeconfig.json");
            Assert.True(File.Exists(dll) && File.Exists(runtimeConfig), "the endpoint executable is not next to the tests");
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
            };
            foreach (string a in new[] { dll, "--port", "0" }) psi.ArgumentList.Add(a);
            using var process = Process.Start(psi)!;
            try
            {
                var output = new StringBuilder();
                string? url = null;
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (DateTime.UtcNow < deadline)
                {
                    string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
                    if (line is null) break;
                    output.AppendLine(line);
                    Match m = Regex.Match(line, @"listening on (http://127\.0\.0\.1:\d+)");
                    if (m.Success) url = m.Groups[1].Value;
                    if (line.StartsWith("Press Ctrl+C", StringComparison.Ordinal)) break;
                }
                Assert.True(url != null, "no URL in: " + output + await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(1)).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : ""));
                AssertNoSecrets(output.ToString());
                using HttpClient http = Api.CreateHttpClient();
                using JsonDocument state = JsonDocument.Parse(await http.GetStringAsync(url + "/_local/state"));
                JsonElement demo = state.RootElement.GetProperty("pools")[0];
                Assert.Equal("us-east-1_LocalDemo", demo.GetProperty("poolId").GetString());
                Assert.Equal("alice", demo.GetProperty("users")[0].GetProperty("username").GetString());
                Assert.Equal(5, demo.GetProperty("users")[0].GetProperty("devices").GetArrayLength());
            }
            finally
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }
}
