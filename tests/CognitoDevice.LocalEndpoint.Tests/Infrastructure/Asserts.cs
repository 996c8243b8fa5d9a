using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace CognitoDevice.LocalEndpoint.Tests.Infrastructure
{
    public static class Asserts
    {
        /// <summary>Asserts an awsJson error: status, __type, x-amzn-ErrorType header, request id, and the message when given.</summary>
        public static void Error(ApiResponse r, string code, string? message = null, int status = 400)
        {
            Assert.True(r.Status == status, "Expected " + status + " " + code + " but got " + r);
            Assert.Equal(code, r.ErrorType);
            Assert.Equal(code + ":http://internal.amazon.com/coral/com.amazon.coral.service/", r.Header("x-amzn-ErrorType"));
            Assert.Equal("application/x-amz-json-1.1", r.Header("Content-Type"));
            Assert.False(string.IsNullOrEmpty(r.Header("x-amzn-RequestId")));
            if (message != null) Assert.Equal(message, r.Message);
        }

        public static void Ok(ApiResponse r)
        {
            Assert.True(r.Status == 200, "Expected 200 but got " + r);
            Assert.Equal("application/x-amz-json-1.1", r.Header("Content-Type"));
            Assert.False(string.IsNullOrEmpty(r.Header("x-amzn-RequestId")));
        }

        public static List<string> DeviceKeys(ApiResponse r) =>
            r.Json.GetProperty("Devices").EnumerateArray().Select(d => d.GetProperty("DeviceKey").GetString()!).ToList();

        public static Dictionary<string, string> Attributes(JsonElement device) =>
            device.GetProperty("DeviceAttributes").EnumerateArray()
                .ToDictionary(a => a.GetProperty("Name").GetString()!, a => a.GetProperty("Value").GetString()!);
    }
}
