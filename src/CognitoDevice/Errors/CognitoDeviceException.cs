using System;

namespace CognitoDevice
{
    /// <summary>
    /// The base of every error this module reports: a Cognito service error (its subclasses, one per modeled
    /// error; an unknown code stays this type), a transport failure or a configuration problem.
    /// <c>catch [CognitoDevice.CognitoDeviceException]</c> catches them all.
    /// </summary>
    public class CognitoDeviceException : Exception
    {
        public CognitoDeviceException(string errorCode, string message)
            : this(errorCode, message, null, null, null, null)
        {
        }

        public CognitoDeviceException(string errorCode, string message, int? statusCode, string? requestId, string? operation, Exception? innerException)
            : base(message, innerException)
        {
            ErrorCode = errorCode ?? throw new ArgumentNullException(nameof(errorCode));
            StatusCode = statusCode;
            RequestId = requestId;
            Operation = operation;
        }

        /// <summary>The service's error code (<c>NotAuthorizedException</c>), or this module's for failures that never reached the service (<c>ConnectionFailure</c>).</summary>
        public string ErrorCode { get; }

        /// <summary>The HTTP status of the response, when there was one.</summary>
        public int? StatusCode { get; }

        /// <summary>The service's request id (<c>x-amzn-RequestId</c>), for AWS Support.</summary>
        public string? RequestId { get; }

        /// <summary>The Cognito operation that failed (<c>ForgetDevice</c>), when one was called.</summary>
        public string? Operation { get; }
    }

    /// <summary>The device, user pool or other resource does not exist.</summary>
    public sealed class ResourceNotFoundException : CognitoDeviceException
    {
        public ResourceNotFoundException(string message, int? statusCode = null, string? requestId = null, string? operation = null)
            : base(nameof(ResourceNotFoundException), message, statusCode, requestId, operation, null) { }
    }

    /// <summary>The service rejected a parameter.</summary>
    public sealed class InvalidParameterException : CognitoDeviceException
    {
        public InvalidParameterException(string message, int? statusCode = null, string? requestId = null, string? operation = null)
            : base(nameof(InvalidParameterException), message, statusCode, requestId, operation, null) { }
    }

    /// <summary>The access token is not valid, expired or revoked, or the user is not allowed.</summary>
    public sealed class NotAuthorizedException : CognitoDeviceException
    {
        public NotAuthorizedException(string message, int? statusCode = null, string? requestId = null, string? operation = null)
            : base(nameof(NotAuthorizedException), message, statusCode, requestId, operation, null) { }
    }

    /// <summary>The account's request rate for this operation was exceeded (it arrives as HTTP 400).</summary>
    public sealed class TooManyRequestsException : CognitoDeviceException
    {
        public TooManyRequestsException(string message, int? statusCode = null, string? requestId = null, string? operation = null)
            : base(nameof(TooManyRequestsException), message, statusCode, requestId, operation, null) { }
    }

    /// <summary>The user pool is not configured for this operation (for example device tracking is off).</summary>
    public sealed class InvalidUserPoolConfigurationException : CognitoDeviceException
    {
        public InvalidUserPoolConfigurationException(string message, int? statusCode = null, string? requestId = null, string? operation = null)
            : base(nameof(InvalidUserPoolConfigurationException), message, statusCode, requestId, operation, null) { }
    }

    /// <summary>The user must reset the password first.</summary>
    public sealed class PasswordResetRequiredException : CognitoDeviceException
    {
        public PasswordResetRequiredException(string message, int? statusCode = null, string? requestId = null, string? operation = null)
            : base(nameof(PasswordResetRequiredException), message, statusCode, requestId, operation, null) { }
    }

    /// <summary>The user does not exist.</summary>
    public sealed class UserNotFoundException : CognitoDeviceException
    {
        public UserNotFoundException(string message, int? statusCode = null, string? requestId = null, string? operation = null)
            : base(nameof(UserNotFoundException), message, statusCode, requestId, operation, null) { }
    }

    /// <summary>The user is not confirmed.</summary>
    public sealed class UserNotConfirmedException : CognitoDeviceException
    {
        public UserNotConfirmedException(string message, int? statusCode = null, string? requestId = null, string? operation = null)
            : base(nameof(UserNotConfirmedException), message, statusCode, requestId, operation, null) { }
    }

    /// <summary>Cognito had an internal error (HTTP 500).</summary>
    public sealed class InternalErrorException : CognitoDeviceException
    {
        public InternalErrorException(string message, int? statusCode = null, string? requestId = null, string? operation = null)
            : base(nameof(InternalErrorException), message, statusCode, requestId, operation, null) { }
    }

    /// <summary>AWS WAF, through the web ACL associated with the user pool, did not allow the request.</summary>
    public sealed class ForbiddenException : CognitoDeviceException
    {
        public ForbiddenException(string message, int? statusCode = null, string? requestId = null, string? operation = null)
            : base(nameof(ForbiddenException), message, statusCode, requestId, operation, null) { }
    }

    /// <summary>The operation is not enabled for this user pool or account (a newer Cognito error).</summary>
    public sealed class OperationNotEnabledException : CognitoDeviceException
    {
        public OperationNotEnabledException(string message, int? statusCode = null, string? requestId = null, string? operation = null)
            : base(nameof(OperationNotEnabledException), message, statusCode, requestId, operation, null) { }
    }
}
