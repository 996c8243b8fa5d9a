using System;

namespace CognitoDevice.LocalEndpoint.Protocol
{
    /// <summary>An awsJson1_1 error answer: HTTP status, error code (the __type) and message.</summary>
    public sealed class CognitoServiceException : Exception
    {
        public CognitoServiceException(string code, string message, int statusCode = 400)
            : base(message)
        {
            Code = code;
            StatusCode = statusCode;
        }

        public string Code { get; }

        public int StatusCode { get; }

        internal static CognitoServiceException InvalidParameter(string message) =>
            new CognitoServiceException(ErrorCodes.InvalidParameter, message);

        internal static CognitoServiceException NotAuthorized(string message) =>
            new CognitoServiceException(ErrorCodes.NotAuthorized, message);

        internal static CognitoServiceException Serialization(string message) =>
            new CognitoServiceException(ErrorCodes.Serialization, message);
    }

    /// <summary>The error codes (awsJson __type values) this endpoint can answer with.</summary>
    public static class ErrorCodes
    {
        public const string InvalidParameter = "InvalidParameterException";
        public const string NotAuthorized = "NotAuthorizedException";
        public const string ResourceNotFound = "ResourceNotFoundException";
        public const string UserNotFound = "UserNotFoundException";
        public const string UserNotConfirmed = "UserNotConfirmedException";
        public const string PasswordResetRequired = "PasswordResetRequiredException";
        public const string InvalidUserPoolConfiguration = "InvalidUserPoolConfigurationException";
        public const string TooManyRequests = "TooManyRequestsException";
        public const string InternalError = "InternalErrorException";
        public const string Forbidden = "ForbiddenException";
        public const string Serialization = "SerializationException";
        public const string UnknownOperation = "UnknownOperationException";
        public const string MissingAuthenticationToken = "MissingAuthenticationTokenException";
        public const string UnrecognizedClient = "UnrecognizedClientException";
        public const string InvalidSignature = "InvalidSignatureException";
        public const string IncompleteSignature = "IncompleteSignatureException";
        public const string AccessDenied = "AccessDeniedException";
    }
}
