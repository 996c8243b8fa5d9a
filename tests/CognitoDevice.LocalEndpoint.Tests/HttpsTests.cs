using System;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Tests.Infrastructure;
using Xunit;

namespace CognitoDevice.LocalEndpoint.Tests
{
    /// <summary>UseHttps: a self-signed certificate that clients must trust explicitly.</summary>
    public sealed class HttpsTests : IAsyncLifetime
    {
        private LocalCognito _cognito = null!;

        public async Task InitializeAsync() => _cognito = await LocalCognito.StartAsync(new LocalCognitoOptions { UseHttps = true });

        public async Task DisposeAsync() => await _cognito.DisposeAsync();

        [Fact]
        public void Certificate_is_self_signed_for_localhost_and_127_0_0_1()
        {
            X509Certificate2 cert = _cognito.Certificate!;
            Assert.NotNull(cert);
            Assert.Equal("https", _cognito.Url.Scheme);
            Assert.Equal("127.0.0.1", _cognito.Url.Host);
            Assert.Equal("CN=localhost", cert.Subject);
            Assert.Equal(cert.Subject, cert.Issuer);
            X509SubjectAlternativeNameExtension san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
            Assert.Contains("localhost", san.EnumerateDnsNames());
            Assert.Contains(System.Net.IPAddress.Loopback, san.EnumerateIPAddresses());
            Assert.True(cert.HasPrivateKey);
        }

        [Fact]
        public async Task Default_validation_rejects_the_certificate()
        {
            using HttpClient http = Api.CreateHttpClient();
            var api = new Api(http, _cognito.Url);
            HttpRequestException e = await Assert.ThrowsAsync<HttpRequestException>(() => api.CallAsync("ListDevices", new { AccessToken = "abc" }));
            Assert.IsAssignableFrom<System.Security.Authentication.AuthenticationException>(e.InnerException);
        }

        [Fact]
        public async Task Pinned_certificate_works()
        {
            string thumbprint = _cognito.Certificate!.Thumbprint;
            var handler = new SocketsHttpHandler { UseProxy = false };
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == thumbprint;
            using HttpClient http = Api.CreateHttpClient(handler);
            var api = new Api(http, _cognito.Url);
            TestUser u = TestUser.Create(_cognito, devices: 2);
            ApiResponse r = await api.CallAsync("ListDevices", new { AccessToken = u.Token });
            Asserts.Ok(r);
            Assert.Equal(2, Asserts.DeviceKeys(r).Count);
            Asserts.Ok(await api.CallAsync("AdminListDevices", new { UserPoolId = u.PoolId, Username = u.Username }, _cognito.Credentials));
        }
    }
}
