using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Auth;
using CognitoDevice.LocalEndpoint;
using CognitoDevice.Operations;
using CognitoDevice.Protocol;
using CognitoDevice.Runtime;
using Xunit;

namespace CognitoDevice.Tests.EndToEnd
{
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ProcessEnvironmentCollection
    {
        public const string Name = "Process environment";
    }

    /// <summary>
    /// AWSSDK.Core's credential resolution reads the process environment and the shared files, so these tests set
    /// process variables; they run alone (no other test runs in parallel with this collection).
    /// </summary>
    [Collection(ProcessEnvironmentCollection.Name)]
    public sealed class AdminCredentialTests : IAsyncLifetime
    {
        private static readonly string[] Variables =
        {
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
            "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_EC2_METADATA_DISABLED", "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_ROLE_ARN",
        };

        private readonly Dictionary<string, string?> _saved = new();
        private readonly string _dir = Directory.CreateTempSubdirectory("cd-creds-").FullName;
        private LocalCognito _cognito = null!;

        public async Task InitializeAsync()
        {
            foreach (string v in Variables)
            {
                _saved[v] = Environment.GetEnvironmentVariable(v);
                Environment.SetEnvironmentVariable(v, null);
            }
            Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
            Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(_dir, "credentials-none"));
            Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Path.Combine(_dir, "config-none"));
            _cognito = await LocalCognito.StartAsync();
        }

        public async Task DisposeAsync()
        {
            await _cognito.DisposeAsync();
            foreach (var (k, v) in _saved) Environment.SetEnvironmentVariable(k, v);
            Directory.Delete(_dir, true);
        }

        private async Task ForgetWith(IRequestSigner signer)
        {
            var s = new Scenario(_cognito);
            var settings = CognitoDevice.Configuration.CognitoSettings.Load(_cognito.Url.ToString(), null, _ => null, null);
            var session = new DeviceSession(settings, ModuleRuntime.CreateClient(settings), null, () => signer);
            await session.ForgetDeviceAsync(s.AdminTarget(s.Devices[0].DeviceKey), null, CancellationToken.None);
            Assert.Null(_cognito.State.FindDevice(s.User, s.Devices[0].DeviceKey));
        }

        [Fact]
        public async Task ProfileName_reads_the_shared_credentials_file()
        {
            string file = Path.Combine(TestPaths.RepoRoot, "tests", "CognitoDevice.LocalEndpoint", "local-credentials");
            Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", file);
            await ForgetWith(AdminCredentials.CreateSigner("cognito-local"));
        }

        [Fact]
        public async Task Environment_variables_with_a_session_token()
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", _cognito.SessionCredentials.AccessKeyId);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", _cognito.SessionCredentials.SecretAccessKey);
            Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", _cognito.SessionCredentials.SessionToken);
            IRequestSigner signer = AdminCredentials.CreateSigner(null);
            Assert.Contains(_cognito.SessionCredentials.SecretAccessKey, signer.SecretValues);
            Assert.Contains(_cognito.SessionCredentials.SessionToken, signer.SecretValues);
            await ForgetWith(signer);
        }

        [Fact]
        public void A_missing_profile_is_ProfileNotFound()
        {
            var ex = Assert.Throws<CognitoDeviceConfigurationException>(() => AdminCredentials.CreateSigner("no-such-profile"));
            Assert.Equal("ProfileNotFound", ex.ErrorCode);
            Assert.Contains("no-such-profile", ex.Message);
        }

        [Fact]
        public void No_credentials_anywhere_is_CredentialsNotFound_quickly_and_without_instance_metadata()
        {
            var watch = Stopwatch.StartNew();
            var ex = Assert.Throws<CognitoDeviceConfigurationException>(() => AdminCredentials.CreateSigner(null));
            Assert.Equal("CredentialsNotFound", ex.ErrorCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
        }
    }
}
