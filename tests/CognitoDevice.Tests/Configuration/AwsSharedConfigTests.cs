using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CognitoDevice.Configuration;
using Xunit;

namespace CognitoDevice.Tests.Configuration
{
    /// <summary>
    /// Tests of <see cref="AwsSharedConfig"/> and <see cref="AwsBool"/> against real files in a temporary
    /// home directory made for each test and deleted after it. In the tables, '|' stands for a line break.
    /// </summary>
    public sealed class AwsSharedConfigTests : IDisposable
    {
        private readonly string _root;
        private readonly string _home;

        public AwsSharedConfigTests()
        {
            _root = Path.Combine(Path.GetTempPath(), "CognitoDevice.Tests." + Guid.NewGuid().ToString("N"));
            _home = Path.Combine(_root, "home");
            Directory.CreateDirectory(_home);
        }

        public void Dispose()
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }

        private string DefaultConfigPath => Path.Combine(_home, ".aws", "config");

        private string DefaultCredentialsPath => Path.Combine(_home, ".aws", "credentials");

        // ---------------------------------------------------------------- the config file format

        [Theory]
        // key = value forms and white space
        [InlineData("[default]|region = us-east-1", "default", "region", "us-east-1")]
        [InlineData("[default]|region=us-east-1", "default", "region", "us-east-1")]
        [InlineData("[default]|region   =   us-east-1   ", "default", "region", "us-east-1")]
        [InlineData("[default]|\tregion\t=\tus-east-1\t", "default", "region", "us-east-1")]
        [InlineData("[default]|region: us-east-1", "default", "region", "us-east-1")]
        [InlineData("[default]|role_arn = arn:aws:iam::123456789012:role/x", "default", "role_arn", "arn:aws:iam::123456789012:role/x")]
        [InlineData("[default]|endpoint_url = http://localhost:4566", "default", "endpoint_url", "http://localhost:4566")]
        [InlineData("[default]|key with spaces = v", "default", "key with spaces", "v")]
        // The first '=' or ':' ends the key, as in the CLI's parser.
        [InlineData("[default]|a:b = c", "default", "a", "b = c")]
        [InlineData("[default]|region = us-east-1 = x", "default", "region", "us-east-1 = x")]
        // An empty value is present and empty.
        [InlineData("[default]|region =", "default", "region", "")]
        [InlineData("[default]|region = ; only a comment", "default", "region", "")]
        // Comments: whole lines, and inline ones after white space.
        [InlineData("[default]|# region = eu-west-1|region = us-east-1", "default", "region", "us-east-1")]
        [InlineData("[default]|; region = eu-west-1", "default", "region", null)]
        [InlineData("[default]|   # indented comment|region = us-east-1", "default", "region", "us-east-1")]
        [InlineData("# leading comment|; another|[default]|region = us-east-1", "default", "region", "us-east-1")]
        [InlineData("[default]|region = us-east-1 # production", "default", "region", "us-east-1")]
        [InlineData("[default]|region = us-east-1 ; production", "default", "region", "us-east-1")]
        [InlineData("[default]|region = us-east-1\t# production", "default", "region", "us-east-1")]
        [InlineData("[default]|region = us-east-1 # a = b", "default", "region", "us-east-1")]
        [InlineData("[default]|region = us-east-1#production", "default", "region", "us-east-1#production")]
        [InlineData("[default]|region = us-east-1;production", "default", "region", "us-east-1;production")]
        [InlineData("[default]|endpoint_url = http://localhost:4566/#x", "default", "endpoint_url", "http://localhost:4566/#x")]
        // The last duplicate wins, also across repeated sections, which merge.
        [InlineData("[default]|region = us-east-1|region = eu-west-1", "default", "region", "eu-west-1")]
        [InlineData("[profile dev]|region = us-east-1|[profile other]|region = x|[profile dev]|region = eu-west-1", "dev", "region", "eu-west-1")]
        [InlineData("[profile dev]|region = us-east-1|[profile dev]|output = json", "dev", "region", "us-east-1")]
        [InlineData("[profile dev]|region = us-east-1|[profile  dev]|region = eu-west-1", "dev", "region", "eu-west-1")]
        // Keys are case-insensitive; values keep their case.
        [InlineData("[default]|REGION = us-east-1", "default", "region", "us-east-1")]
        [InlineData("[default]|region = us-east-1", "default", "Region", "us-east-1")]
        [InlineData("[default]|Region = us-east-1|region = eu-west-1", "default", "REGION", "eu-west-1")]
        [InlineData("[default]|region = US-EAST-1", "default", "region", "US-EAST-1")]
        [InlineData("[default]|region = us-east-1", "default", " region ", "us-east-1")]
        // Section names are case-sensitive, and config file profiles need the word 'profile'.
        [InlineData("[Default]|region = us-east-1", "default", "region", null)]
        [InlineData("[Profile dev]|region = x", "dev", "region", null)]
        [InlineData("[PROFILE dev]|region = x", "dev", "region", null)]
        [InlineData("[profile Dev]|region = x", "dev", "region", null)]
        [InlineData("[profile Dev]|region = x", "Dev", "region", "x")]
        [InlineData("[dev]|region = x", "dev", "region", null)]
        [InlineData("[profiledev]|region = x", "dev", "region", null)]
        [InlineData("[profile dev]|region = x", "dev", "region", "x")]
        [InlineData("[profile   dev]|region = x", "dev", "region", "x")]
        [InlineData("[profile\tdev]|region = x", "dev", "region", "x")]
        [InlineData("[ profile dev ]|region = x", "dev", "region", "x")]
        [InlineData("  [profile dev]|region = x", "dev", "region", "x")]
        [InlineData("[profile \"dev\"]|region = x", "dev", "region", "x")]
        [InlineData("[profile 'my dev']|region = x", "my dev", "region", "x")]
        [InlineData("[profile my dev]|region = x", "my dev", "region", null)]
        [InlineData("[profile my dev]|region = x", "my", "region", null)]
        [InlineData("[profile dev.team@x/y%z_1]|region = x", "dev.team@x/y%z_1", "region", "x")]
        // Section headers: trailing comments, malformed headers.
        [InlineData("[profile dev] # comment|region = x", "dev", "region", "x")]
        [InlineData("[profile dev]; comment|region = x", "dev", "region", "x")]
        [InlineData("[profile dev]#comment|region = x", "dev", "region", "x")]
        [InlineData("[profile dev] junk|region = x", "dev", "region", null)]
        [InlineData("[profile dev|region = x", "dev", "region", null)]
        [InlineData("[]|region = x", "default", "region", null)]
        // Lines of a malformed or non-profile section never land in the profile before it.
        [InlineData("[profile dev]|region = x|[profile dev junk|region = y", "dev", "region", "x")]
        [InlineData("[profile dev]|region = x|[sso-session s]|region = y", "dev", "region", "x")]
        [InlineData("[profile dev]|region = x|[services s]|region = y", "dev", "region", "x")]
        [InlineData("[profile dev]|region = x|[plugins]|region = y", "dev", "region", "x")]
        [InlineData("[profile dev]|region = x|[default]|region = y", "dev", "region", "x")]
        // Lines outside any section and lines that are not key = value are skipped.
        [InlineData("region = us-east-1|[default]|output = json", "default", "region", null)]
        [InlineData("[default]|region = us-east-1|output", "default", "region", "us-east-1")]
        [InlineData("[default]|=value|region = us-east-1", "default", "region", "us-east-1")]
        [InlineData("[default]|just words|region = us-east-1", "default", "region", "us-east-1")]
        // Nested sub-sections under a key with an empty value are skipped, not read as keys of the profile.
        [InlineData("[default]|s3 =|  max_concurrent_requests = 10|  region = eu-west-1|region = us-east-1", "default", "region", "us-east-1")]
        [InlineData("[default]|s3 =|  max_concurrent_requests = 10|  region = eu-west-1|region = us-east-1", "default", "max_concurrent_requests", null)]
        [InlineData("[default]|s3 =|  max_concurrent_requests = 10|  region = eu-west-1|region = us-east-1", "default", "s3", null)]
        [InlineData("[default]|s3 =|  region = eu-west-1", "default", "region", null)]
        [InlineData("[default]|s3 =|\tregion = eu-west-1", "default", "region", null)]
        [InlineData("[default]|s3 =|  region = eu-west-1||  # comment|  addressing_style = path|output = json", "default", "addressing_style", null)]
        [InlineData("[default]|s3 =|  region = eu-west-1||  # comment|  addressing_style = path|output = json", "default", "output", "json")]
        [InlineData("[default]|s3 =|  [profile x]|region = us-east-1", "default", "region", "us-east-1")]
        [InlineData("[default]|s3 =|region = us-east-1", "default", "s3", "")]
        [InlineData("[default]|region = us-east-1|s3 =|  region = eu-west-1", "default", "region", "us-east-1")]
        [InlineData("[profile dev]|region = x|[sso-session s]|s3 =|  region = y|[profile dev]|output = json", "dev", "region", "x")]
        // A uniformly indented file: the same indentation is not a continuation.
        [InlineData("  [default]|  region = us-east-1|  output = json", "default", "output", "json")]
        [InlineData("  [default]|  region = us-east-1|  output = json", "default", "region", "us-east-1")]
        // Deeper-indented lines under a key with a value continue it.
        [InlineData("[default]|ca_bundle = a|  b|\tc", "default", "ca_bundle", "a\nb\nc")]
        [InlineData("[default]|region = us-east-1|  output = json", "default", "region", "us-east-1\noutput = json")]
        [InlineData("[default]|region = us-east-1|  output = json", "default", "output", null)]
        public void ConfigFile_Values(string config, string profile, string key, string? expected)
        {
            WriteFile(DefaultConfigPath, Lines(config));

            AwsSharedConfig shared = Load(explicitProfile: profile);

            Assert.Equal(expected, shared.GetConfigValue(key));
            Assert.Null(shared.GetCredentialsValue(key));
        }

        [Theory]
        [InlineData("[default]|aws_access_key_id = AKIDEXAMPLE", "default", "aws_access_key_id", "AKIDEXAMPLE")]
        [InlineData("[default]|AWS_ACCESS_KEY_ID = AKIDEXAMPLE", "default", "aws_access_key_id", "AKIDEXAMPLE")]
        [InlineData("[dev]|aws_access_key_id = AKIDEXAMPLE", "dev", "aws_access_key_id", "AKIDEXAMPLE")]
        [InlineData("[ dev ]|aws_access_key_id = AKIDEXAMPLE", "dev", "aws_access_key_id", "AKIDEXAMPLE")]
        [InlineData("[Dev]|aws_access_key_id = AKIDEXAMPLE", "dev", "aws_access_key_id", null)]
        // The credentials file does not use the word 'profile': [profile dev] is a profile named "profile dev".
        [InlineData("[profile dev]|aws_access_key_id = AKIDEXAMPLE", "dev", "aws_access_key_id", null)]
        [InlineData("[profile dev]|aws_access_key_id = AKIDEXAMPLE", "profile dev", "aws_access_key_id", "AKIDEXAMPLE")]
        [InlineData("[profile default]|aws_access_key_id = AKIDEXAMPLE", "default", "aws_access_key_id", null)]
        [InlineData("[dev]|aws_secret_access_key = abc/def+ghi # comment", "dev", "aws_secret_access_key", "abc/def+ghi")]
        [InlineData("[dev]|aws_session_token = abc|[other]|aws_session_token = xyz", "dev", "aws_session_token", "abc")]
        [InlineData("[dev]|aws_session_token = abc|aws_session_token = xyz", "dev", "aws_session_token", "xyz")]
        public void CredentialsFile_Values(string credentials, string profile, string key, string? expected)
        {
            WriteFile(DefaultCredentialsPath, Lines(credentials));

            AwsSharedConfig shared = Load(explicitProfile: profile);

            Assert.Equal(expected, shared.GetCredentialsValue(key));
            Assert.Null(shared.GetConfigValue(key));
        }

        [Fact]
        public void ConfigAndCredentialsFiles_AreReadSeparately()
        {
            WriteFile(DefaultConfigPath, Lines("[profile dev]|region = us-east-1"));
            WriteFile(DefaultCredentialsPath, Lines("[dev]|region = eu-west-1|aws_access_key_id = AKIDEXAMPLE"));

            AwsSharedConfig shared = Load(explicitProfile: "dev");

            Assert.Equal("us-east-1", shared.GetConfigValue("region"));
            Assert.Equal("eu-west-1", shared.GetCredentialsValue("region"));
            Assert.Null(shared.GetConfigValue("aws_access_key_id"));
            Assert.Equal("AKIDEXAMPLE", shared.GetCredentialsValue("aws_access_key_id"));
        }

        // ---------------------------------------------------------------- [default] and [profile default]

        [Theory]
        [InlineData("[default]|region = a", "region", "a", false)]
        [InlineData("[profile default]|region = b", "region", "b", false)]
        [InlineData("[default]|region = a|[profile default]|region = b", "region", "b", true)]
        [InlineData("[profile default]|region = b|[default]|region = a", "region", "b", true)]
        // [default] is ignored whole, not merged into [profile default].
        [InlineData("[default]|region = a|output = json|[profile default]|region = b", "output", null, true)]
        [InlineData("[profile default]|region = b|[default]|output = json", "output", null, true)]
        [InlineData("[default]|region = a|[profile default]", "region", null, true)]
        [InlineData("[profile default]|region = b|[profile \"default\"]|output = json", "output", "json", false)]
        public void DefaultProfile_ProfileDefaultWinsOverDefault(string config, string key, string? expected, bool warned)
        {
            WriteFile(DefaultConfigPath, Lines(config));

            AwsSharedConfig shared = Load();

            Assert.Equal("default", shared.ProfileName);
            Assert.True(shared.ProfileExists);
            Assert.Equal(expected, shared.GetConfigValue(key));
            Assert.Equal(warned, shared.Warnings.Any(w => w.Contains("[default] is ignored", StringComparison.Ordinal)));
        }

        // ---------------------------------------------------------------- which profile

        [Theory]
        [InlineData(null, null, null, "default")]
        [InlineData(null, "a", null, "a")]
        [InlineData(null, null, "b", "b")]
        [InlineData(null, "a", "b", "a")]
        [InlineData("x", "a", "b", "x")]
        [InlineData("x", null, null, "x")]
        [InlineData("", "a", "b", "a")]
        [InlineData("  ", null, "b", "b")]
        [InlineData(null, "", "b", "b")]
        [InlineData(null, " ", "", "default")]
        [InlineData(null, " a ", null, "a")]
        [InlineData(" x ", null, null, "x")]
        public void ProfileName_ExplicitThenAwsProfileThenAwsDefaultProfileThenDefault(
            string? explicitProfile, string? awsProfile, string? awsDefaultProfile, string expected)
        {
            var env = new Dictionary<string, string?> { ["AWS_PROFILE"] = awsProfile, ["AWS_DEFAULT_PROFILE"] = awsDefaultProfile };
            WriteFile(DefaultConfigPath, Lines("[default]|region = r-default|[profile a]|region = r-a|[profile b]|region = r-b|[profile x]|region = r-x"));

            AwsSharedConfig shared = Load(env, explicitProfile);

            Assert.Equal(expected, shared.ProfileName);
            Assert.Equal("r-" + expected, shared.GetConfigValue("region"));
        }

        [Fact]
        public void ProfileName_TwoArgumentLoad_UsesTheEnvironment()
        {
            WriteFile(DefaultConfigPath, Lines("[profile a]|region = r-a"));
            var env = new Dictionary<string, string?> { ["AWS_PROFILE"] = "a" };

            AwsSharedConfig shared = AwsSharedConfig.Load(Lookup(env), _home);

            Assert.Equal("a", shared.ProfileName);
            Assert.Equal("r-a", shared.GetConfigValue("region"));
        }

        [Theory]
        [InlineData("[profile dev]", null, "dev", true)]
        [InlineData("[profile dev]|region = x", null, "dev", true)]
        [InlineData(null, "[dev]", "dev", true)]
        [InlineData(null, "[dev]|aws_access_key_id = AKIDEXAMPLE", "dev", true)]
        [InlineData("[profile dev]", "[dev]", "dev", true)]
        [InlineData("[dev]|region = x", null, "dev", false)]
        [InlineData(null, "[profile dev]", "dev", false)]
        [InlineData("[profile other]", "[other]", "dev", false)]
        [InlineData(null, null, "dev", false)]
        [InlineData(null, null, "default", false)]
        [InlineData("[default]", null, "default", true)]
        [InlineData("[profile default]", null, "default", true)]
        [InlineData(null, "[default]", "default", true)]
        [InlineData("[sso-session dev]|sso_region = x", null, "dev", false)]
        public void ProfileExists_InEitherFile(string? config, string? credentials, string profile, bool expected)
        {
            if (config != null)
            {
                WriteFile(DefaultConfigPath, Lines(config));
            }

            if (credentials != null)
            {
                WriteFile(DefaultCredentialsPath, Lines(credentials));
            }

            Assert.Equal(expected, Load(explicitProfile: profile).ProfileExists);
        }

        // ---------------------------------------------------------------- where the files are

        [Fact]
        public void MissingFiles_ReadAsEmpty_WithoutWarnings()
        {
            AwsSharedConfig shared = Load();

            Assert.Equal(DefaultConfigPath, shared.ConfigFilePath);
            Assert.Equal(DefaultCredentialsPath, shared.CredentialsFilePath);
            Assert.False(shared.ProfileExists);
            Assert.Null(shared.GetConfigValue("region"));
            Assert.Null(shared.GetCredentialsValue("aws_access_key_id"));
            Assert.Empty(shared.Warnings);
        }

        [Fact]
        public void EnvironmentVariables_NameTheFiles()
        {
            string config = Path.Combine(_root, "elsewhere", "my-config");
            string credentials = Path.Combine(_root, "elsewhere", "my-credentials");
            WriteFile(config, Lines("[default]|region = from-env-file"));
            WriteFile(credentials, Lines("[default]|aws_access_key_id = FROMENV"));
            WriteFile(DefaultConfigPath, Lines("[default]|region = from-home"));
            WriteFile(DefaultCredentialsPath, Lines("[default]|aws_access_key_id = FROMHOME"));
            var env = new Dictionary<string, string?> { ["AWS_CONFIG_FILE"] = config, ["AWS_SHARED_CREDENTIALS_FILE"] = credentials };

            AwsSharedConfig shared = Load(env);

            Assert.Equal(config, shared.ConfigFilePath);
            Assert.Equal(credentials, shared.CredentialsFilePath);
            Assert.Equal("from-env-file", shared.GetConfigValue("region"));
            Assert.Equal("FROMENV", shared.GetCredentialsValue("aws_access_key_id"));
        }

        [Theory]
        [InlineData("~/custom/config", "custom/config")]
        [InlineData("~", "")]
        public void EnvironmentVariables_TildeIsTheHomeDirectory(string value, string relative)
        {
            var env = new Dictionary<string, string?> { ["AWS_CONFIG_FILE"] = value };

            AwsSharedConfig shared = Load(env);

            string expected = relative.Length == 0 ? _home : Path.Combine(_home, relative);
            Assert.Equal(expected, shared.ConfigFilePath);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        public void EnvironmentVariables_BlankMeansTheDefaultLocation(string value)
        {
            var env = new Dictionary<string, string?> { ["AWS_CONFIG_FILE"] = value, ["AWS_SHARED_CREDENTIALS_FILE"] = value };

            AwsSharedConfig shared = Load(env);

            Assert.Equal(DefaultConfigPath, shared.ConfigFilePath);
            Assert.Equal(DefaultCredentialsPath, shared.CredentialsFilePath);
        }

        [Fact]
        public void EnvironmentVariables_NamingMissingFiles_ReadAsEmpty()
        {
            WriteFile(DefaultConfigPath, Lines("[default]|region = from-home"));
            var env = new Dictionary<string, string?>
            {
                ["AWS_CONFIG_FILE"] = Path.Combine(_root, "nope", "config"),
                ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_root, "credentials-missing"),
            };

            AwsSharedConfig shared = Load(env);

            Assert.Null(shared.GetConfigValue("region"));
            Assert.False(shared.ProfileExists);
            Assert.Empty(shared.Warnings);
        }

        [Fact]
        public void UnreadableFile_ReadsAsEmpty_WithAWarning()
        {
            // A folder where the file should be cannot be read as a file.
            Directory.CreateDirectory(DefaultConfigPath);
            WriteFile(DefaultCredentialsPath, Lines("[default]|aws_access_key_id = AKIDEXAMPLE"));

            AwsSharedConfig shared = Load();

            Assert.Null(shared.GetConfigValue("region"));
            Assert.Equal("AKIDEXAMPLE", shared.GetCredentialsValue("aws_access_key_id"));
            string warning = Assert.Single(shared.Warnings);
            Assert.Contains(DefaultConfigPath, warning, StringComparison.Ordinal);
            Assert.Contains("could not be read", warning, StringComparison.Ordinal);
        }

        [Fact]
        public void InvalidPath_ReadsAsEmpty_WithAWarning()
        {
            var env = new Dictionary<string, string?> { ["AWS_CONFIG_FILE"] = Path.Combine(_root, "bad\0name") };

            AwsSharedConfig shared = Load(env);

            Assert.Null(shared.GetConfigValue("region"));
            Assert.Single(shared.Warnings);
        }

        [Fact]
        public void NoHomeDirectory_ReadsNothing_WithWarnings()
        {
            AwsSharedConfig shared = AwsSharedConfig.Load(Lookup(new Dictionary<string, string?>()), null);

            Assert.Equal(string.Empty, shared.ConfigFilePath);
            Assert.Equal(string.Empty, shared.CredentialsFilePath);
            Assert.False(shared.ProfileExists);
            Assert.Equal(2, shared.Warnings.Count);
            Assert.Contains(shared.Warnings, w => w.Contains("AWS_CONFIG_FILE", StringComparison.Ordinal));
            Assert.Contains(shared.Warnings, w => w.Contains("AWS_SHARED_CREDENTIALS_FILE", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("HOME")]
        [InlineData("USERPROFILE")]
        public void NoHomeDirectory_FallsBackToTheEnvironment(string variable)
        {
            WriteFile(DefaultConfigPath, Lines("[default]|region = us-east-1"));
            var env = new Dictionary<string, string?> { [variable] = _home };

            AwsSharedConfig shared = AwsSharedConfig.Load(Lookup(env), string.Empty);

            Assert.Equal(DefaultConfigPath, shared.ConfigFilePath);
            Assert.Equal("us-east-1", shared.GetConfigValue("region"));
        }

        [Fact]
        public void Load_WithoutAnEnvironment_Throws()
        {
            Assert.Throws<ArgumentNullException>(() => AwsSharedConfig.Load(null!, _home));
        }

        // ---------------------------------------------------------------- bytes: BOM, line ends, encodings

        [Theory]
        [InlineData("\uFEFF[default]\r\nregion = us-west-2\r\noutput = json\r\n", true)]
        [InlineData("\uFEFF[default]\nregion = us-west-2\n", true)]
        [InlineData("[default]\r\nregion = us-west-2\r\n", false)]
        [InlineData("[default]\rregion = us-west-2\r", false)]
        [InlineData("[default]\r\n\r\n# comment\r\nregion = us-west-2", false)]
        [InlineData("\uFEFF# comment first\r\n[default]\r\nregion = us-west-2 # inline\r\n", true)]
        [InlineData("[default]\r\ns3 =\r\n  region = eu-west-1\r\nregion = us-west-2\r\n", false)]
        public void Utf8_BomAndLineEnds(string text, bool bom)
        {
            WriteBytes(DefaultConfigPath, Encoding.UTF8.GetBytes(text));
            Assert.Equal(bom, File.ReadAllBytes(DefaultConfigPath).Take(3).SequenceEqual(new byte[] { 0xEF, 0xBB, 0xBF }));

            AwsSharedConfig shared = Load();

            Assert.True(shared.ProfileExists);
            Assert.Equal("us-west-2", shared.GetConfigValue("region"));
            Assert.Empty(shared.Warnings);
        }

        [Fact]
        public void Utf8_BomFirstSectionIsFound()
        {
            // Without BOM handling, the first header would read as "\uFEFF[profile dev]" and be lost.
            WriteBytes(DefaultConfigPath, Encoding.UTF8.GetBytes("\uFEFF[profile dev]\r\nregion = eu-central-1\r\n"));

            Assert.Equal("eu-central-1", Load(explicitProfile: "dev").GetConfigValue("region"));
        }

        [Fact]
        public void Utf16WithBom_IsRead()
        {
            // Windows PowerShell 5.1 writes UTF-16 with a BOM by default ("..." > $HOME\.aws\config).
            WriteBytes(DefaultConfigPath, Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("[default]\r\nregion = us-west-2\r\n")).ToArray());

            Assert.Equal("us-west-2", Load().GetConfigValue("region"));
        }

        [Fact]
        public void InvalidUtf8_DoesNotSpoilTheRestOfTheFile()
        {
            byte[] before = Encoding.UTF8.GetBytes("[default]\n# caf");
            byte[] after = Encoding.UTF8.GetBytes("\nregion = us-west-2\n");
            WriteBytes(DefaultConfigPath, before.Concat(new byte[] { 0xE9, 0xFF }).Concat(after).ToArray());

            Assert.Equal("us-west-2", Load().GetConfigValue("region"));
        }

        [Fact]
        public void NonAsciiValues_AreKept()
        {
            WriteBytes(DefaultConfigPath, Encoding.UTF8.GetBytes("[profile équipe]\nnote = café ☕\n"));

            Assert.Equal("café ☕", Load(explicitProfile: "équipe").GetConfigValue("note"));
        }

        // ---------------------------------------------------------------- warnings

        [Theory]
        [InlineData("region = us-east-1|[default]", "line 1", "not inside a [section]")]
        [InlineData("[default]|region = us-east-1|region = eu-west-1", "line 3", "'region' is set again in [default]")]
        [InlineData("[default]|just words", "line 2", "expected 'key = value' in [default]")]
        [InlineData("[default]|= value", "line 2", "expected 'key = value'")]
        [InlineData("[profile dev|region = x", "line 1", "not a valid section header")]
        [InlineData("[profile dev] junk", "line 1", "not a valid section header")]
        [InlineData("[profile]|region = x", "line 1", "[profile] is not a profile section")]
        [InlineData("[profile my dev]", "line 1", "no valid profile name")]
        public void Warnings_NameTheFileAndLine(string config, string line, string message)
        {
            WriteFile(DefaultConfigPath, Lines(config));

            AwsSharedConfig shared = Load();

            string warning = Assert.Single(shared.Warnings);
            Assert.Contains(DefaultConfigPath + " " + line + ":", warning, StringComparison.Ordinal);
            Assert.Contains(message, warning, StringComparison.Ordinal);
        }

        [Fact]
        public void Warnings_CredentialsSectionWithTheWordProfile()
        {
            WriteFile(DefaultCredentialsPath, Lines("[profile dev]|aws_access_key_id = AKIDEXAMPLE"));

            string warning = Assert.Single(Load(explicitProfile: "dev").Warnings);
            Assert.Contains(DefaultCredentialsPath + " line 1:", warning, StringComparison.Ordinal);
            Assert.Contains("without the word 'profile'", warning, StringComparison.Ordinal);
        }

        [Fact]
        public void Warnings_NeverContainValues()
        {
            const string Secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";
            WriteFile(
                DefaultCredentialsPath,
                Lines("aws_secret_access_key = " + Secret + "|[default]|aws_secret_access_key " + Secret
                      + "|aws_secret_access_key = " + Secret + "|aws_secret_access_key = " + Secret + "x|" + Secret + "|[" + Secret));

            AwsSharedConfig shared = Load();

            Assert.NotEmpty(shared.Warnings);
            Assert.All(shared.Warnings, w => Assert.DoesNotContain(Secret, w, StringComparison.Ordinal));
        }

        [Fact]
        public void CleanFiles_HaveNoWarnings()
        {
            WriteFile(
                DefaultConfigPath,
                Lines("# my config|[default]|region = us-east-1 # home|s3 =|  max_concurrent_requests = 10||"
                      + "[profile dev]|region = eu-west-1|use_fips_endpoint = true|[sso-session corp]|sso_region = us-east-1|"
                      + "[services local]|cognito_identity_provider =|  endpoint_url = http://localhost:4566"));
            WriteFile(DefaultCredentialsPath, Lines("[default]|aws_access_key_id = AKIDEXAMPLE|aws_secret_access_key = x"));

            AwsSharedConfig shared = Load(explicitProfile: "dev");

            Assert.Empty(shared.Warnings);
            Assert.Equal("eu-west-1", shared.GetConfigValue("region"));
            Assert.Equal("true", shared.GetConfigValue("use_fips_endpoint"));
            Assert.Null(shared.GetConfigValue("endpoint_url"));
            Assert.Null(shared.GetCredentialsValue("aws_access_key_id"));
        }

        [Theory]
        [InlineData("")]
        [InlineData("|||")]
        [InlineData("[")]
        [InlineData("]")]
        [InlineData("[]]")]
        [InlineData("=")]
        [InlineData(":")]
        [InlineData("#")]
        [InlineData("[default]|  ")]
        [InlineData("  indented = first")]
        [InlineData("[default]|=|:|[|]|  =|\t")]
        [InlineData("[profile \"]")]
        [InlineData("[profile '']")]
        public void OddFiles_NeverThrow(string config)
        {
            WriteFile(DefaultConfigPath, Lines(config));
            WriteFile(DefaultCredentialsPath, Lines(config));

            AwsSharedConfig shared = Load();

            Assert.Null(shared.GetConfigValue("region"));
        }

        [Fact]
        public void GetValue_WithNullKey_Throws()
        {
            AwsSharedConfig shared = Load();
            Assert.Throws<ArgumentNullException>(() => shared.GetConfigValue(null!));
            Assert.Throws<ArgumentNullException>(() => shared.GetCredentialsValue(null!));
        }

        // ---------------------------------------------------------------- AwsBool

        [Theory]
        [InlineData("true", true)]
        [InlineData("TRUE", true)]
        [InlineData("True", true)]
        [InlineData("tRuE", true)]
        [InlineData(" true ", true)]
        [InlineData("false", false)]
        [InlineData("FALSE", false)]
        [InlineData("False", false)]
        [InlineData("\tfalse", false)]
        [InlineData(null, null)]
        [InlineData("", null)]
        [InlineData(" ", null)]
        [InlineData("1", null)]
        [InlineData("0", null)]
        [InlineData("yes", null)]
        [InlineData("no", null)]
        [InlineData("on", null)]
        [InlineData("t", null)]
        [InlineData("truee", null)]
        [InlineData("true # comment", null)]
        [InlineData("\"true\"", null)]
        public void AwsBool_Parse(string? value, bool? expected)
        {
            Assert.Equal(expected, AwsBool.Parse(value));
        }

        // ---------------------------------------------------------------- helpers

        private AwsSharedConfig Load(Dictionary<string, string?>? env = null, string? explicitProfile = null)
        {
            return AwsSharedConfig.Load(Lookup(env ?? new Dictionary<string, string?>()), _home, explicitProfile);
        }

        private static Func<string, string?> Lookup(Dictionary<string, string?> env)
        {
            return name => env.TryGetValue(name, out string? value) ? value : null;
        }

        private static string Lines(string table)
        {
            return table.Replace('|', '\n');
        }

        private static void WriteFile(string path, string text)
        {
            WriteBytes(path, new UTF8Encoding(false).GetBytes(text));
        }

        private static void WriteBytes(string path, byte[] bytes)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
    }
}
