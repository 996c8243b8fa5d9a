using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using CognitoDevice.Protocol;
using Xunit;

namespace CognitoDevice.Tests.Errors
{
    public class AwsJsonErrorTests
    {
        public static IEnumerable<object[]> SmithyCases()
        {
            using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(TestPaths.ServiceModel("awsjson11-error-cases.json")));
            foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
            {
                string? header = c.GetProperty("headers").EnumerateObject()
                    .Where(h => h.Name.Equals("x-amzn-errortype", System.StringComparison.OrdinalIgnoreCase))
                    .Select(h => h.Value.GetString()).FirstOrDefault();
                yield return new object?[]
                {
                    c.GetProperty("id").GetString()!, header, c.GetProperty("body").GetString(), c.GetProperty("code").GetString()!,
                    c.TryGetProperty("message", out JsonElement m) ? m.GetString() : null,
                }!;
            }
        }

        [Theory]
        [MemberData(nameof(SmithyCases))]
        public void Parses_every_Smithy_awsJson1_1_error_case(string id, string? header, string body, string code, string? message)
        {
            Assert.True(AwsJsonError.TryParse(header, body, out string parsed, out string? parsedMessage), id);
            Assert.Equal(code, parsed);
            if (message is not null) Assert.Equal(message, parsedMessage);
        }

        [Fact]
        public void There_are_fourteen_Smithy_cases() => Assert.Equal(14, SmithyCases().Count());

        [Theory]
        [InlineData("NotAuthorizedException:", "{\"__type\":\"Other\",\"message\":\"m\"}", "NotAuthorizedException")] // header wins
        [InlineData(null, "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Device does not exist.\"}", "ResourceNotFoundException")]
        [InlineData(null, "{\"__type\":\"com.amazonaws.cognito#X:http://x\",\"code\":\"Y\"}", "X")]
        [InlineData(null, "{\"code\":\"Y\"}", "Y")]
        public void Cognito_shapes(string? header, string body, string code)
        {
            Assert.True(AwsJsonError.TryParse(header, body, out string parsed, out _));
            Assert.Equal(code, parsed);
        }

        [Theory]
        [InlineData(null, "")]
        [InlineData(null, "<html><body>502 Bad Gateway</body></html>")]
        [InlineData(null, "{\"message\":\"no code\"}")]
        [InlineData("", "{}")]
        [InlineData(":", "[]")]
        public void No_code_is_not_a_code(string? header, string body) => Assert.False(AwsJsonError.TryParse(header, body, out _, out _));
    }
}
