using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using CognitoDevice.Configuration;
using CognitoDevice.Operations;
using CognitoDevice.Validation;
using Xunit;

namespace CognitoDevice.Tests.Reliability
{
    /// <summary>Runs a test only where a Java runtime is on PATH, and says so when it is not.</summary>
    public sealed class JavaFactAttribute : FactAttribute
    {
        private static readonly Lazy<string?> Missing = new(() =>
        {
            try
            {
                using var p = Process.Start(new ProcessStartInfo("java", "-version") { RedirectStandardError = true, RedirectStandardOutput = true })!;
                p.WaitForExit(20_000);
                return p.ExitCode == 0 ? null : "java -version failed";
            }
            catch (Exception ex)
            {
                return ex.Message;
            }
        });

        public JavaFactAttribute()
        {
            if (Missing.Value is not null) Skip = "No Java runtime on PATH (" + Missing.Value + "): the Java-semantics oracle did not run. .ci/run installs one.";
        }
    }

    /// <summary>Generated bad input through the validators and the plain entry points of the cmdlet glue.</summary>
    public class BadInputTests
    {
        private static readonly string[] Pieces =
        {
            "a", "Z", "0", "9", "_", "-", ".", "=", " ", "\t", "\n", "\r", "\0", "\u007f", "f", "F", "us-east-1", "_", "ab12",
            "é", "ß", "Ж", "用", "٣", "½", "€", "©", "!", "@", "#", "%", "(", "}", "\u0301", "\u200b", "\u00a0", "\u2028",
            "😀", "𝔸", "\uD83D", "\uDE00", "\uE000", "\uFEFF", "Bearer ", "eyJ", "..", "'", "\"", "\\", "/",
        };

        internal static IEnumerable<string> Generated(int count, int seed)
        {
            var r = new Random(seed);
            yield return string.Empty;
            yield return new string('a', 55);
            yield return new string('a', 56);
            yield return "a_" + new string('0', 53);
            yield return "a_" + new string('0', 54);
            yield return new string('x', 128);
            yield return new string('x', 129);
            yield return string.Concat(Enumerable.Repeat("😀", 128));
            yield return string.Concat(Enumerable.Repeat("😀", 129));
            yield return new string('a', 100_000);
            for (int i = 0; i < count; i++)
            {
                var b = new StringBuilder();
                int n = r.Next(0, r.Next(2) == 0 ? 8 : 70);
                for (int j = 0; j < n; j++) b.Append(Pieces[r.Next(Pieces.Length)]);
                if (r.Next(4) == 0) b.Insert(0, "us-west-2_");
                yield return b.ToString();
            }
        }

        [Fact]
        public void Validators_never_crash_and_messages_are_clear()
        {
            foreach (string s in Generated(5000, 1))
            {
                bool key = InputRules.IsDeviceKey(s);
                bool pool = InputRules.IsUserPoolId(s);
                bool user = InputRules.IsUsername(s);
                bool token = InputRules.IsAccessToken(s);
                if (!key) Assert.Contains("not a Cognito device key", InputRules.DescribeDeviceKeyProblem(s));
                if (!pool) Assert.Contains("not a Cognito user pool ID", InputRules.DescribeUserPoolIdProblem(s));
                if (!user) Assert.Contains("not a Cognito user name", InputRules.DescribeUsernameProblem(s));
                string? problem = InputRules.DescribeAccessTokenProblem(s);
                Assert.Equal(token, problem is null);
                if (problem is not null && s.Trim().Length >= 10) Assert.DoesNotContain(s.Trim(), problem); // shorter pieces can be words of the message
                Assert.True(InputRules.DescribeDeviceKeyProblem(s).Length < 400); // long input is cut, not echoed whole
            }
            Assert.False(InputRules.IsDeviceKey(null));
            Assert.False(InputRules.IsUsername(null));
            Assert.Equal("The access token is empty.", InputRules.DescribeAccessTokenProblem(null));
        }

        [Fact]
        public void Plain_entry_points_of_the_glue_never_crash_on_generated_input()
        {
            foreach (string s in Generated(2000, 2))
            {
                // Region and endpoint parameters: a configuration error or a value, nothing else.
                try
                {
                    var settings = CognitoSettings.Load(s.Length == 0 ? null : s, null, _ => null, null);
                    settings.ResolveRegion(s.Length == 0 ? null : s, s, s, s);
                }
                catch (CognitoDeviceConfigurationException ex)
                {
                    Assert.False(string.IsNullOrWhiteSpace(ex.Message));
                }
                Assert.Null(RegionResolver.RegionFromAccessToken(s + ".e30." + s) is string r && !CognitoEndpointResolver.IsValidRegion(r) ? "bad" : null);
                Assert.NotNull(new DeviceTarget(s, null, null).Description);
                Assert.Throws<ArgumentException>(() => InputRules.NormalizeRememberedStatus(s + "x"));
            }
        }

        [JavaFact]
        public void Validators_agree_with_the_service_model_read_with_Java_regex_semantics()
        {
            using var model = JsonDocument.Parse(File.ReadAllText(TestPaths.ServiceModel("service-2.json")));
            JsonElement shapes = model.RootElement.GetProperty("shapes");
            (string Pattern, int Min, int Max) Shape(string name)
            {
                JsonElement s = shapes.GetProperty(name);
                return (s.GetProperty("pattern").GetString()!, s.TryGetProperty("min", out var mi) ? mi.GetInt32() : 0, s.TryGetProperty("max", out var ma) ? ma.GetInt32() : int.MaxValue);
            }
            var checks = new (string Shape, Func<string, bool> Ours)[]
            {
                ("DeviceKeyType", InputRules.IsDeviceKey),
                ("UserPoolIdType", InputRules.IsUserPoolId),
                ("UsernameType", InputRules.IsUsername),
                ("TokenModelType", InputRules.IsAccessToken),
            };
            var inputs = Generated(20000, 3).Where(s => s.Length < 1000).ToList();
            string dir = Directory.CreateTempSubdirectory("cd-oracle-").FullName;
            try
            {
                string inputFile = Path.Combine(dir, "inputs.txt");
                File.WriteAllLines(inputFile, inputs.Select(s => string.Join(" ", s.Select(c => ((int)c).ToString("x")))));
                var psi = new ProcessStartInfo("java") { RedirectStandardOutput = true, RedirectStandardError = true };
                psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Reliability", "PatternOracle.java"));
                psi.ArgumentList.Add(inputFile);
                foreach (var c in checks)
                {
                    var (pattern, min, max) = Shape(c.Shape);
                    psi.ArgumentList.Add(pattern);
                    psi.ArgumentList.Add(min.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    psi.ArgumentList.Add(Math.Min(max, 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                using var java = Process.Start(psi)!;
                string output = java.StandardOutput.ReadToEnd();
                string errors = java.StandardError.ReadToEnd();
                Assert.True(java.WaitForExit(120_000));
                Assert.True(java.ExitCode == 0, errors);
                string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(inputs.Count, lines.Length);
                int accepted = 0;
                for (int i = 0; i < inputs.Count; i++)
                {
                    for (int c = 0; c < checks.Length; c++)
                    {
                        bool java1 = lines[i][c] == '1';
                        accepted += java1 ? 1 : 0;
                        Assert.True(java1 == checks[c].Ours(inputs[i]),
                            $"{checks[c].Shape}: Java says {java1} for [{string.Join(" ", inputs[i].Select(ch => ((int)ch).ToString("x4")))}]");
                    }
                }
                Assert.True(accepted > 1000, "the generated set must exercise acceptance too, not only rejection: " + accepted);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
