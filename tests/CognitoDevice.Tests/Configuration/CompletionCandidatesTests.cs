using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CognitoDevice.Configuration;
using Xunit;

namespace CognitoDevice.Tests.Configuration
{
    /// <summary>
    /// What Tab offers for -Region (the shipped partition table) and -ProfileName (section headers of the shared
    /// files, in a temporary home directory made for each test).
    /// </summary>
    public sealed class CompletionCandidatesTests : IDisposable
    {
        private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
        private readonly string _root = Path.Combine(Path.GetTempPath(), "CognitoDevice.Tests." + Guid.NewGuid().ToString("N"));
        private readonly string _home;
        private readonly Dictionary<string, string?> _env = new(StringComparer.Ordinal);

        public CompletionCandidatesTests()
        {
            _home = Path.Combine(_root, "home");
            Directory.CreateDirectory(Path.Combine(_home, ".aws"));
        }

        public void Dispose()
        {
            if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
        }

        private string? Env(string name) => _env.TryGetValue(name, out string? value) ? value : null;

        private IReadOnlyList<string> Profiles(string? word = "") => CompletionCandidates.ProfileNames(Env, _home, word);

        private void Write(string name, string text) => File.WriteAllText(Path.Combine(_home, ".aws", name), text);

        [Fact]
        public void Regions_are_every_listed_region_of_every_partition_without_the_global_pseudo_regions()
        {
            IReadOnlyList<string> all = CompletionCandidates.Regions("");
            Assert.Contains("us-east-1", all);
            Assert.Contains("eu-west-1", all);
            Assert.Contains("cn-northwest-1", all);
            Assert.Contains("us-gov-west-1", all);
            Assert.DoesNotContain(all, r => r.EndsWith("-global", StringComparison.Ordinal));
            Assert.Equal(all.OrderBy(r => r, StringComparer.Ordinal), all);
            Assert.Equal(all.Count, all.Distinct().Count());
            var listed = AwsPartition.All.SelectMany(p => p.Regions).Where(r => !r.EndsWith("-global", StringComparison.Ordinal)).ToHashSet();
            Assert.True(listed.SetEquals(all));
        }

        [Theory]
        [InlineData("eu-w", new[] { "eu-west-1", "eu-west-2", "eu-west-3" })]
        [InlineData("EU-WEST-", new[] { "eu-west-1", "eu-west-2", "eu-west-3" })]
        [InlineData("'us-gov", new[] { "us-gov-east-1", "us-gov-west-1" })]
        [InlineData("\"cn-", new[] { "cn-north-1", "cn-northwest-1" })]
        [InlineData("mars-", new string[0])]
        public void Regions_start_with_the_word_typed(string word, string[] expected)
        {
            Assert.Equal(expected, CompletionCandidates.Regions(word));
        }

        [Fact]
        public void Profiles_come_from_both_files_sorted_once_each()
        {
            Write("config", "[default]\nregion = eu-west-1\n[profile admin]\nregion = us-east-1\n[profile \"with space\"]\n[sso-session corp]\nsso_region = eu-west-1\n[services local]\n");
            Write("credentials", "[admin]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = " + Secret + "\n[ci] ; the build\n[default]\n");

            Assert.Equal(new[] { "admin", "ci", "default", "with space" }, Profiles());
        }

        [Fact]
        public void Profiles_are_names_only_never_a_value_or_a_malformed_header()
        {
            Write("config", "[profile]\n[profileX]\n[profile two words]\n[profile ok] trailing\n  [profile indented]\nkey = [not a header]\n");
            Write("credentials", "[good]\naws_secret_access_key = " + Secret + "\n# [commented]\n[" + "\n");

            IReadOnlyList<string> names = Profiles();
            Assert.Equal(new[] { "good", "indented" }, names);
            Assert.DoesNotContain(names, n => n.Contains(Secret, StringComparison.Ordinal) || n.Contains("AKID", StringComparison.Ordinal));
        }

        [Fact]
        public void Profiles_start_with_the_word_typed_ignoring_case_and_quotes()
        {
            Write("credentials", "[Admin-eu]\n[admin-us]\n[build]\n");
            Assert.Equal(new[] { "Admin-eu", "admin-us" }, Profiles("adm"));
            Assert.Equal(new[] { "build" }, Profiles("'b"));
            Assert.Empty(Profiles("zzz"));
        }

        [Fact]
        public void Profiles_are_read_from_the_files_the_environment_names()
        {
            string config = Path.Combine(_root, "elsewhere-config");
            string credentials = Path.Combine(_root, "elsewhere-credentials");
            File.WriteAllText(config, "[profile from-env-config]\n");
            File.WriteAllText(credentials, "[from-env-credentials]\n");
            Write("config", "[profile ignored]\n");
            _env["AWS_CONFIG_FILE"] = config;
            _env["AWS_SHARED_CREDENTIALS_FILE"] = credentials;

            Assert.Equal(new[] { "from-env-config", "from-env-credentials" }, Profiles());
        }

        [Fact]
        public void No_files_offer_no_profiles_and_do_not_throw()
        {
            Assert.Empty(Profiles());
            _env["AWS_CONFIG_FILE"] = Path.Combine(_root, "missing", "config");
            _env["AWS_SHARED_CREDENTIALS_FILE"] = _root; // a directory, not a file
            Assert.Empty(Profiles());
            Assert.Empty(CompletionCandidates.ProfileNames(_ => null, null, ""));
        }

        [Theory]
        [InlineData("admin", "admin")]
        [InlineData("eu-west-1", "eu-west-1")]
        [InlineData("team.prod_2", "team.prod_2")]
        [InlineData("with space", "'with space'")]
        [InlineData("o'brien", "'o''brien'")]
        [InlineData("$env", "'$env'")]
        public void Completion_text_is_quoted_when_PowerShell_would_split_or_expand_it(string value, string expected)
        {
            Assert.Equal(expected, CompletionCandidates.CompletionText(value));
        }
    }
}
