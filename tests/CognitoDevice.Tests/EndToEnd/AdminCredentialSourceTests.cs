using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Auth;
using CognitoDevice.LocalEndpoint;
using CognitoDevice.LocalEndpoint.Sts;
using CognitoDevice.Operations;
using CognitoDevice.Protocol;
using CognitoDevice.Runtime;
using Xunit;

namespace CognitoDevice.Tests.EndToEnd
{
    /// <summary>
    /// Admin credentials from roles, web identity, IAM Identity Center and containers, resolved by AWSSDK.Core against
    /// the local endpoint's STS / SSO portal / container stand-ins (AWS_ENDPOINT_URL_STS and _SSO point at it): the
    /// module keeps one credential per source, and a failure of any of them leaks no secret.
    /// </summary>
    [Collection(ProcessEnvironmentCollection.Name)]
    public sealed class AdminCredentialSourceTests : IAsyncLifetime
    {
        private static readonly string[] Variables =
        {
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION",
            "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_EC2_METADATA_DISABLED", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
            "AWS_ROLE_SESSION_NAME", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL_SSO_OIDC", "HOME", "USERPROFILE",
        };

        private readonly Dictionary<string, string?> _saved = new();
        private readonly string _home = Directory.CreateTempSubdirectory("cd-sources-").FullName;
        private LocalCognito _cognito = null!;

        private string _config = null!;

        /// <summary>
        /// The config file AWSSDK.Core reads. It takes AWS_CONFIG_FILE once per process (a static of SharedCredentialsFile),
        /// so when an earlier test fixed another path, this class writes its profiles there.
        /// </summary>
        private string Config => _config;

        public async Task InitializeAsync()
        {
            foreach (string v in Variables)
            {
                _saved[v] = Environment.GetEnvironmentVariable(v);
                Environment.SetEnvironmentVariable(v, null);
            }
            _cognito = await LocalCognito.StartAsync();
            Directory.CreateDirectory(Path.Combine(_home, ".aws", "sso", "cache"));
            string url = _cognito.Url.GetLeftPart(UriPartial.Authority);
            Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
            Environment.SetEnvironmentVariable("HOME", _home);
            Environment.SetEnvironmentVariable("USERPROFILE", _home);
            Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
            Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Path.Combine(_home, ".aws", "config"));
            _config = Amazon.Runtime.CredentialManagement.SharedCredentialsFile.DefaultConfigFilePath;
            Directory.CreateDirectory(Path.GetDirectoryName(_config)!);
            Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", _config);
            Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(_home, ".aws", "credentials"));
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_STS", url);
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_SSO", url);
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_SSO_OIDC", url);
            TestCredential source = _cognito.Credentials;
            File.WriteAllText(Path.Combine(_home, ".aws", "credentials"),
                $"[base]\naws_access_key_id = {source.AccessKeyId}\naws_secret_access_key = {source.SecretAccessKey}\n");
            // The source keys live in the config file too: AWSSDK.Core also fixes the credentials file path once per process.
            File.WriteAllText(Config, $"[profile base]\naws_access_key_id = {source.AccessKeyId}\naws_secret_access_key = {source.SecretAccessKey}\n\n" + """
                [profile admin]
                role_arn = arn:aws:iam::000000000000:role/cognito-admin
                source_profile = base
                role_session_name = xunit

                [profile denied]
                role_arn = arn:aws:iam::000000000000:role/denied
                source_profile = base
                role_session_name = xunit

                [profile sso]
                sso_session = corp
                sso_account_id = 000000000000
                sso_role_name = CognitoAdmin

                [sso-session corp]
                sso_start_url = https://local-sso.invalid/start
                sso_region = us-east-1
                """);
            AdminCredentials.ClearCache();
        }

        public async Task DisposeAsync()
        {
            AdminCredentials.ClearCache();
            await _cognito.DisposeAsync();
            foreach (var (k, v) in _saved) Environment.SetEnvironmentVariable(k, v);
            if (File.Exists(_config)) File.Delete(_config);
            Directory.Delete(_home, true);
        }

        private int Calls(string service) => _cognito.Auth.Calls().Count(c => c.Service == service && c.StatusCode == 200);

        private void WriteSsoToken(string sessionName, DateTime expiresAt)
        {
            string name = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(sessionName)));
            File.WriteAllText(Path.Combine(_home, ".aws", "sso", "cache", name + ".json"),
                "{\"startUrl\":\"https://local-sso.invalid/start\",\"region\":\"us-east-1\",\"accessToken\":\"" + AuthStandIns.SsoAccessToken
                + "\",\"expiresAt\":\"" + expiresAt.ToString("yyyy-MM-ddTHH:mm:ssZ") + "\"}");
        }

        [Fact]
        public async Task An_assumed_role_signs_the_call_and_is_resolved_once_for_many_invocations()
        {
            for (int i = 0; i < 100; i++)
            {
                IRequestSigner signer = AdminCredentials.CreateSigner("admin");
                Assert.Contains(_cognito.SessionCredentials.SecretAccessKey, signer.SecretValues);
            }
            Assert.Equal(1, Calls("sts"));
            Assert.Equal(_cognito.Credentials.AccessKeyId, _cognito.Auth.Calls().Single().SignedBy);

            var s = new Scenario(_cognito);
            var settings = CognitoDevice.Configuration.CognitoSettings.Load(_cognito.Url.ToString(), null, _ => null, null);
            IRequestSigner cached = AdminCredentials.CreateSigner("admin");
            var session = new DeviceSession(settings, ModuleRuntime.CreateClient(settings), null, () => cached);
            await session.ForgetDeviceAsync(s.AdminTarget(s.Devices[0].DeviceKey), null, CancellationToken.None);
            Assert.Null(_cognito.State.FindDevice(s.User, s.Devices[0].DeviceKey));
            Assert.Equal(1, Calls("sts"));
        }

        [Fact]
        public void A_kept_credential_close_to_expiry_is_refreshed_before_it_is_used()
        {
            _cognito.Auth.ExpirationSeconds = 10 * 60; // inside AWSSDK.Core's 15-minute pre-emptive refresh window for roles
            AdminCredentials.CreateSigner("admin");
            AdminCredentials.CreateSigner("admin");
            // AWSSDK.Core hands out the still-valid credential and refreshes it in the background: wait for that call.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (Calls("sts") < 2 && clock.Elapsed < TimeSpan.FromSeconds(15)) Thread.Sleep(50);
            int calls = Calls("sts");
            _cognito.Auth.ExpirationSeconds = 3600;
            Assert.True(calls >= 2, "calls: " + calls);
            Assert.Equal(1, AdminCredentials.CachedCount); // still one kept credential; it refreshes itself
        }

        [Fact]
        public void Editing_the_config_file_resolves_afresh()
        {
            AdminCredentials.CreateSigner("admin");
            File.AppendAllText(Config, "\n[profile other]\nregion = eu-west-1\n");
            File.SetLastWriteTimeUtc(Config, DateTime.UtcNow.AddMinutes(1));
            AdminCredentials.CreateSigner("admin");
            Assert.Equal(2, Calls("sts"));
        }

        [Fact]
        public void A_failure_is_not_kept()
        {
            Assert.Equal("AssumeRoleFailed", Assert.Throws<CognitoDeviceConfigurationException>(() => AdminCredentials.CreateSigner("denied")).ErrorCode);
            Assert.Equal("AssumeRoleFailed", Assert.Throws<CognitoDeviceConfigurationException>(() => AdminCredentials.CreateSigner("denied")).ErrorCode);
            Assert.Equal(2, _cognito.Auth.Calls().Count(c => c.Service == "sts"));
            Assert.Equal(0, AdminCredentials.CachedCount);
        }

        [Fact]
        public void IAM_Identity_Center_uses_the_cached_token_once_and_says_how_to_sign_in_when_it_expired()
        {
            WriteSsoToken("corp", DateTime.UtcNow.AddHours(1));
            for (int i = 0; i < 10; i++) AdminCredentials.CreateSigner("sso");
            Assert.Equal(1, Calls("sso"));

            AdminCredentials.ClearCache();
            WriteSsoToken("corp", DateTime.UtcNow.AddHours(-1));
            var ex = Assert.Throws<CognitoDeviceConfigurationException>(() => AdminCredentials.CreateSigner("sso"));
            Assert.Equal("SsoTokenExpired", ex.ErrorCode);
            Assert.Contains("aws sso login --profile sso", ex.Message);
            Assert.Equal(1, Calls("sso"));
        }

        [Fact]
        public void No_secret_reaches_a_credential_failure()
        {
            string[] secrets =
            {
                _cognito.Credentials.SecretAccessKey, _cognito.SessionCredentials.SecretAccessKey, _cognito.SessionCredentials.SessionToken!,
                AuthStandIns.SsoAccessToken, AuthStandIns.WebIdentityToken, AuthStandIns.ContainerAuthorizationToken, "ProcessPrintedThisSecret/0001",
            };
            var captured = new StringBuilder();
            void Capture(Action action)
            {
                AdminCredentials.ClearCache();
                var ex = Assert.Throws<CognitoDeviceConfigurationException>(action);
                captured.AppendLine(ex.ToString()).AppendLine(ex.Detail).AppendLine(CognitoDevice.Errors.ErrorCatalog.RecommendedActionFor(ex.ErrorCode));
                for (Exception? e = ex; e is not null; e = e.InnerException)
                {
                    Assert.False(e.GetType().FullName!.StartsWith("Amazon.", StringComparison.Ordinal), e.GetType().FullName);
                    captured.AppendLine(e.Message);
                }
            }

            // STS refuses; SSO token expired; a credential_process that fails after printing secrets; web identity token
            // rejected; the container endpoint refuses the authorization token; static keys in the environment with
            // a profile that does not exist.
            Capture(() => AdminCredentials.CreateSigner("denied"));
            WriteSsoToken("corp", DateTime.UtcNow.AddHours(-1));
            Capture(() => AdminCredentials.CreateSigner("sso"));
            string script = Path.Combine(_home, "process.sh");
            File.WriteAllText(script, "echo '{\"Version\": 1, \"AccessKeyId\": \"AKID\", \"SecretAccessKey\": \"ProcessPrintedThisSecret/0001\", \"Expiration\": \"not a date\"}'\n"
                + "echo 'SecretAccessKey=ProcessPrintedThisSecret/0001' >&2\nexit 1\n");
            File.AppendAllText(Config, "\n[profile process]\ncredential_process = sh " + script + "\n");
            Capture(() => AdminCredentials.CreateSigner("process"));
            File.WriteAllText(script, File.ReadAllText(script).Replace("exit 1", "exit 0"));
            Capture(() => AdminCredentials.CreateSigner("process"));
            string token = Path.Combine(_home, "token");
            File.WriteAllText(token, "wrong-token");
            Environment.SetEnvironmentVariable("AWS_ROLE_ARN", "arn:aws:iam::000000000000:role/web");
            Environment.SetEnvironmentVariable("AWS_WEB_IDENTITY_TOKEN_FILE", token);
            Capture(() => AdminCredentials.CreateSigner(null));
            Environment.SetEnvironmentVariable("AWS_ROLE_ARN", null);
            Environment.SetEnvironmentVariable("AWS_WEB_IDENTITY_TOKEN_FILE", null);
            Environment.SetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI", _cognito.Url.GetLeftPart(UriPartial.Authority) + AuthStandIns.ContainerCredentialsPath);
            Environment.SetEnvironmentVariable("AWS_CONTAINER_AUTHORIZATION_TOKEN", AuthStandIns.ContainerAuthorizationToken + "-wrong");
            Capture(() => AdminCredentials.CreateSigner(null));
            Environment.SetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI", null);
            Environment.SetEnvironmentVariable("AWS_CONTAINER_AUTHORIZATION_TOKEN", null);
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", _cognito.SessionCredentials.AccessKeyId);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", _cognito.SessionCredentials.SecretAccessKey);
            Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", _cognito.SessionCredentials.SessionToken);
            Capture(() => AdminCredentials.CreateSigner("no-such-profile"));

            string text = captured.ToString();
            Assert.Contains("role/denied (AccessDenied)", text, StringComparison.Ordinal); // sanity: the failures were captured
            foreach (string secret in secrets) Assert.DoesNotContain(secret, text);
        }
    }
}
