using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using CognitoDevice.Errors;
using Xunit;

namespace CognitoDevice.Tests.Errors
{
    public class ErrorCatalogTests
    {
        [Theory]
        [InlineData("ResourceNotFoundException", "ObjectNotFound")]
        [InlineData("UserNotFoundException", "ObjectNotFound")]
        [InlineData("InvalidParameterException", "InvalidArgument")]
        [InlineData("NotAuthorizedException", "AuthenticationError")]
        [InlineData("PasswordResetRequiredException", "AuthenticationError")]
        [InlineData("UserNotConfirmedException", "AuthenticationError")]
        [InlineData("MissingAuthenticationTokenException", "AuthenticationError")]
        [InlineData("UnrecognizedClientException", "AuthenticationError")]
        [InlineData("InvalidSignatureException", "AuthenticationError")]
        [InlineData("IncompleteSignatureException", "AuthenticationError")]
        [InlineData("ExpiredTokenException", "AuthenticationError")]
        [InlineData("ForbiddenException", "PermissionDenied")]
        [InlineData("AccessDeniedException", "PermissionDenied")]
        [InlineData("AccessDenied", "PermissionDenied")]
        [InlineData("TooManyRequestsException", "LimitsExceeded")]
        [InlineData("ThrottlingException", "LimitsExceeded")]
        [InlineData("InvalidUserPoolConfigurationException", "NotEnabled")]
        [InlineData("OperationNotEnabledException", "NotEnabled")]
        [InlineData("InternalErrorException", "ResourceUnavailable")]
        [InlineData("ConnectionFailure", "ConnectionError")]
        [InlineData("NameResolutionFailure", "ConnectionError")]
        [InlineData("TlsFailure", "SecurityError")]
        [InlineData("RequestTimeout", "OperationTimeout")]
        [InlineData("UnreadableResponse", "ProtocolError")]
        [InlineData("UnexpectedResponse", "ProtocolError")]
        [InlineData("RegionNotFound", "InvalidArgument")]
        [InlineData("EndpointUrlInvalid", "InvalidArgument")]
        [InlineData("InsecureEndpoint", "SecurityError")]
        [InlineData("CredentialsNotFound", "AuthenticationError")]
        [InlineData("SomethingNewException", "NotSpecified")]
        public void Category_for_every_code(string code, string category) => Assert.Equal(category, ErrorCatalog.KindOf(code).ToString());

        public static IEnumerable<object[]> ModeledErrors()
        {
            using var model = JsonDocument.Parse(System.IO.File.ReadAllText(TestPaths.ServiceModel("service-2.json")));
            var ops = new[] { "ForgetDevice", "AdminForgetDevice", "ListDevices", "AdminListDevices", "GetDevice", "AdminGetDevice", "UpdateDeviceStatus", "AdminUpdateDeviceStatus" };
            var codes = new SortedSet<string>(StringComparer.Ordinal);
            foreach (string op in ops)
            {
                foreach (JsonElement e in model.RootElement.GetProperty("operations").GetProperty(op).GetProperty("errors").EnumerateArray())
                {
                    codes.Add(e.GetProperty("shape").GetString()!);
                }
            }
            codes.Add("OperationNotEnabledException"); // newer than this model; asked for by name
            return codes.Select(c => new object[] { c });
        }

        [Theory]
        [MemberData(nameof(ModeledErrors))]
        public void Every_modeled_error_of_the_device_operations_has_its_own_public_type(string code)
        {
            CognitoDeviceException ex = ErrorCatalog.CreateServiceException(code, "m", 400, "rid", "ForgetDevice");
            Type type = ex.GetType();
            Assert.Equal(code, type.Name);
            Assert.Equal("CognitoDevice", type.Namespace);
            Assert.True(type.IsPublic);
            Assert.Equal(code, ex.ErrorCode);
            Assert.Equal(400, ex.StatusCode);
            Assert.Equal("rid", ex.RequestId);
            Assert.Equal("ForgetDevice", ex.Operation);
            Assert.Equal("m", ex.Message);
            Assert.NotEqual(ErrorKind.NotSpecified, ErrorCatalog.KindOf(code));
            Assert.DoesNotContain("See the message", ErrorCatalog.RecommendedActionFor(code));
        }

        [Fact]
        public void Unknown_code_gets_the_base_type()
        {
            CognitoDeviceException ex = ErrorCatalog.CreateServiceException("BrandNewException", "m", 400, null, "ForgetDevice");
            Assert.Equal(typeof(CognitoDeviceException), ex.GetType());
            Assert.Equal("BrandNewException", ex.ErrorCode);
        }

        [Theory]
        [InlineData("TooManyRequestsException", 400, true)]   // throttling arrives as 400: by code
        [InlineData("ThrottlingException", 400, true)]
        [InlineData("InternalErrorException", 500, true)]
        [InlineData("SomeError", 502, true)]
        [InlineData("SomeError", 503, true)]
        [InlineData("SomeError", 504, true)]
        [InlineData("ConnectionFailure", null, true)]
        [InlineData("RequestTimeout", null, true)]
        [InlineData("NotAuthorizedException", 400, false)]
        [InlineData("ResourceNotFoundException", 400, false)]
        [InlineData("InvalidParameterException", 400, false)]
        [InlineData("SomeError", 429, false)]                 // never another 4xx by status
        [InlineData("SomeError", 501, false)]
        [InlineData("NameResolutionFailure", null, false)]
        [InlineData("TlsFailure", null, false)]
        [InlineData("UnreadableResponse", 200, false)]
        public void Retry_classification(string code, int? status, bool retryable) => Assert.Equal(retryable, ErrorCatalog.IsRetryable(code, status));
    }
}
