using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using CognitoDevice.Auth;
using CognitoDevice.Configuration;
using CognitoDevice.LocalEndpoint;
using CognitoDevice.Operations;
using CognitoDevice.Protocol;
using CognitoDevice.Runtime;
using Xunit;

namespace CognitoDevice.Tests.EndToEnd
{
    /// <summary>One local Cognito endpoint per test class (xunit class fixture).</summary>
    public sealed class EndpointFixture : IAsyncLifetime
    {
        public LocalCognito Cognito { get; private set; } = null!;

        public async Task InitializeAsync() => Cognito = await LocalCognito.StartAsync();

        public async Task DisposeAsync() => await Cognito.DisposeAsync();
    }

    /// <summary>A user with devices and a token on a local endpoint, and sessions built the way the cmdlets build them.</summary>
    internal sealed class Scenario
    {
        public Scenario(LocalCognito cognito, int devices = 3, string region = "us-east-1")
        {
            Cognito = cognito;
            Pool = cognito.State.CreatePool(region);
            User = cognito.State.CreateUser(Pool, "user-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Devices = cognito.State.SeedDevices(User, devices, seed: Environment.TickCount);
            Token = cognito.State.IssueAccessToken(User);
        }

        public LocalCognito Cognito { get; }

        public UserPool Pool { get; }

        public PoolUser User { get; }

        public IReadOnlyList<StoredDevice> Devices { get; }

        public string Token { get; }

        public List<string> Verbose { get; } = new();

        public Action<string> VerboseSink => m =>
        {
            lock (Verbose) Verbose.Add(m);
        };

        public DeviceTarget TokenTarget(string key) => new(key, null, null);

        public DeviceTarget AdminTarget(string key) => new(key, Pool.Id, User.Username);

        /// <summary>
        /// A session like the cmdlet's: settings from an explicit endpoint, no environment (so the region must come from
        /// the token, pool ID or key), the module's shared connection pool unless <paramref name="http"/> is given, and
        /// retry delays scaled down by <paramref name="delayScale"/> so the tests stay fast.
        /// </summary>
        public DeviceSession Session(bool admin = false, int attempts = 3, TimeSpan? attemptTimeout = null, HttpClient? http = null,
            RetryQuota? quota = null, double delayScale = 0.01, TestCredential? credential = null, IDictionary<string, string>? env = null)
        {
            var settings = CognitoSettings.Load(Cognito.Url.ToString(), null, name => env is not null && env.TryGetValue(name, out string? v) ? v : null, null);
            var client = new CognitoClient(http ?? ModuleRuntime.Http, new RetryStrategy(attempts, quota ?? new RetryQuota(), attemptTimeout: attemptTimeout),
                ModuleRuntime.UserAgent, delay: (d, ct) => Task.Delay(TimeSpan.FromTicks((long)(d.Ticks * delayScale)), ct));
            TestCredential c = credential ?? Cognito.Credentials;
            return new DeviceSession(settings, client, admin ? null : Token,
                () => new SigV4Signer(c.SessionToken is null
                    ? new BasicAWSCredentials(c.AccessKeyId, c.SecretAccessKey)
                    : new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken)));
        }
    }
}
