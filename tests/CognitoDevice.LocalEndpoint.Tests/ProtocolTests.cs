using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Tests.Infrastructure;
using Xunit;

namespace CognitoDevice.LocalEndpoint.Tests
{
    /// <summary>The awsJson1_1 envelope: targets, content type, serialization errors, headers.</summary>
    public sealed class ProtocolTests : IClassFixture<EndpointFixture>
    {
        private readonly EndpointFixture _fx;

        public ProtocolTests(EndpointFixture fx) => _fx = fx;

        [Fact]
        public async Task Success_has_json_content_type_and_a_fresh_request_id()
        {
            TestUser u = _fx.NewUser(devices: 2);
            ApiResponse a = await _fx.Api.CallAsync("ListDevices", new { AccessToken = u.Token });
            ApiResponse b = await _fx.Api.CallAsync("ListDevices", new { AccessToken = u.Token });
            Asserts.Ok(a);
            Asserts.Ok(b);
            Assert.True(Guid.TryParse(a.Header("x-amzn-RequestId"), out _));
            Assert.NotEqual(a.Header("x-amzn-RequestId"), b.Header("x-amzn-RequestId"));
            Assert.Null(a.Header("x-amzn-ErrorType"));
            Assert.Equal(2, a.Json.GetProperty("Devices").GetArrayLength());
        }

        [Theory]
        [InlineData("AWSCognitoIdentityProviderService.NoSuchOperation")]
        [InlineData("AWSCognitoIdentityProviderService.")]
        [InlineData("DynamoDB_20120810.ListTables")]
        [InlineData("ListDevices")]
        [InlineData("AWSCognitoIdentityProviderService.InitiateAuth")]
        public async Task Unknown_or_unsupported_target_is_UnknownOperationException(string target)
        {
            using HttpRequestMessage request = _fx.Api.Build(null, "{}");
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
            Asserts.Error(await _fx.Api.SendAsync(request), "UnknownOperationException");
        }

        [Fact]
        public async Task Missing_target_is_UnknownOperationException()
        {
            using HttpRequestMessage request = _fx.Api.Build(null, "{}");
            Asserts.Error(await _fx.Api.SendAsync(request), "UnknownOperationException");
        }

        [Theory]
        [InlineData("application/json")]
        [InlineData("application/x-amz-json-1.0")]
        [InlineData("text/plain")]
        [InlineData(null)]
        public async Task Other_content_types_are_UnknownOperationException(string? contentType)
        {
            TestUser u = _fx.NewUser();
            using HttpRequestMessage request = _fx.Api.Build("ListDevices", new { AccessToken = u.Token }, contentType);
            Asserts.Error(await _fx.Api.SendAsync(request), "UnknownOperationException");
        }

        [Fact]
        public async Task Content_type_parameters_are_accepted()
        {
            TestUser u = _fx.NewUser();
            using HttpRequestMessage request = _fx.Api.Build("ListDevices", new { AccessToken = u.Token }, "application/x-amz-json-1.1; charset=utf-8");
            Asserts.Ok(await _fx.Api.SendAsync(request));
        }

        [Fact]
        public async Task Get_is_UnknownOperationException()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _fx.Cognito.Url);
            request.Headers.TryAddWithoutValidation("X-Amz-Target", Api.Prefix + "ListDevices");
            Asserts.Error(await _fx.Api.SendAsync(request), "UnknownOperationException");
        }

        [Theory]
        [InlineData("not json")]
        [InlineData("{\"AccessToken\":")]
        [InlineData("[1,2]")]
        [InlineData("\"text\"")]
        [InlineData("{\"AccessToken\":\"abc\",\"Limit\":\"10\"}")]
        [InlineData("{\"AccessToken\":\"abc\",\"Limit\":1.5}")]
        [InlineData("{\"AccessToken\":\"abc\",\"Limit\":99999999999}")]
        [InlineData("{\"AccessToken\":123}")]
        [InlineData("{\"AccessToken\":[\"abc\"]}")]
        [InlineData("{\"AccessToken\":{\"a\":1}}")]
        [InlineData("{\"AccessToken\":true}")]
        public async Task Unparsable_bodies_and_wrong_member_types_are_SerializationException(string body)
        {
            Asserts.Error(await _fx.Api.CallAsync("ListDevices", body), "SerializationException");
        }

        [Fact]
        public async Task Invalid_utf8_is_SerializationException()
        {
            using HttpRequestMessage request = _fx.Api.Build("ListDevices", "{}");
            request.Content = new ByteArrayContent(new byte[] { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}' });
            request.Content.Headers.TryAddWithoutValidation("Content-Type", Api.JsonContentType);
            Asserts.Error(await _fx.Api.SendAsync(request), "SerializationException");
        }

        [Fact]
        public async Task Empty_body_is_an_empty_input_and_fails_validation()
        {
            Asserts.Error(await _fx.Api.CallAsync("ListDevices", ""), "InvalidParameterException",
                "1 validation error detected: Value null at 'accessToken' failed to satisfy constraint: Member must not be null");
        }

        [Fact]
        public async Task Null_members_count_as_absent_and_unknown_members_are_ignored()
        {
            TestUser u = _fx.NewUser(devices: 1);
            Asserts.Ok(await _fx.Api.CallAsync("ListDevices", "{\"AccessToken\":\"" + u.Token + "\",\"Limit\":null,\"PaginationToken\":null,\"Whatever\":{\"x\":[1]}}"));
        }

        [Fact]
        public async Task Error_body_has_type_and_message_only()
        {
            ApiResponse r = await _fx.Api.CallAsync("ListDevices", new { AccessToken = "abc" });
            Asserts.Error(r, "NotAuthorizedException", "Invalid Access Token");
            var names = new List<string>();
            foreach (System.Text.Json.JsonProperty p in r.Json.EnumerateObject()) names.Add(p.Name);
            Assert.Equal(new[] { "__type", "message" }, names);
        }

        [Fact]
        public async Task Non_ascii_text_is_sent_as_utf8_json()
        {
            TestUser u = _fx.NewUser();
            _fx.Cognito.State.AddDevice(u.User, name: "Jürgen's 📱 phone");
            using HttpRequestMessage request = _fx.Api.Build("ListDevices", new { AccessToken = u.Token });
            using HttpResponseMessage response = await _fx.Http.SendAsync(request);
            byte[] raw = await response.Content.ReadAsByteArrayAsync();
            string text = Encoding.UTF8.GetString(raw);
            Assert.Contains("Jürgen's 📱 phone", text, StringComparison.Ordinal);
        }
    }
}
