using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace CognitoDevice.LocalEndpoint.Tests.Infrastructure
{
    /// <summary>One LocalCognito (default options) per test class.</summary>
    public sealed class EndpointFixture : IAsyncLifetime
    {
        private static int s_counter;

        public LocalCognito Cognito { get; private set; } = null!;

        public HttpClient Http { get; } = Api.CreateHttpClient();

        public Api Api { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Cognito = await LocalCognito.StartAsync();
            Api = new Api(Http, Cognito.Url);
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            await Cognito.DisposeAsync();
        }

        /// <summary>A fresh pool + user (+ seeded devices) + access token, isolated from other tests.</summary>
        public TestUser NewUser(int devices = 0, string region = "us-east-1", bool deviceTracking = true, bool waf = false, UserState state = UserState.Confirmed) =>
            TestUser.Create(Cognito, devices, region, deviceTracking, waf, state);

        public static string UniqueName(string prefix) => prefix + Interlocked.Increment(ref s_counter).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public sealed class TestUser
    {
        private TestUser(UserPool pool, PoolUser user, string token, IReadOnlyList<StoredDevice> devices)
        {
            Pool = pool;
            User = user;
            Token = token;
            Devices = devices;
        }

        public UserPool Pool { get; }

        public PoolUser User { get; }

        public string Token { get; }

        public IReadOnlyList<StoredDevice> Devices { get; }

        public string PoolId => Pool.Id;

        public string Username => User.Username;

        public static TestUser For(PoolUser user, string token) => new TestUser(user.Pool, user, token, Array.Empty<StoredDevice>());

        public static TestUser Create(LocalCognito cognito, int devices = 0, string region = "us-east-1", bool deviceTracking = true, bool waf = false, UserState state = UserState.Confirmed)
        {
            UserPool pool = cognito.State.CreatePool(region, deviceTrackingEnabled: deviceTracking, wafBlocksRequests: waf);
            PoolUser user = cognito.State.CreateUser(pool, EndpointFixture.UniqueName("user"), state);
            IReadOnlyList<StoredDevice> seeded = cognito.State.SeedDevices(user, devices, seed: 7);
            return new TestUser(pool, user, cognito.State.IssueAccessToken(user), seeded);
        }
    }
}
