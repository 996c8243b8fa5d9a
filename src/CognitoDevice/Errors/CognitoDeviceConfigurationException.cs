using System;

namespace CognitoDevice
{
    /// <summary>
    /// The call cannot proceed at all (no region, an invalid endpoint, no credentials for an Admin call).
    /// The cmdlets report it as a terminating error; the message says what to do.
    /// </summary>
    public sealed class CognitoDeviceConfigurationException : CognitoDeviceException
    {
        public CognitoDeviceConfigurationException(string errorCode, string message, string? detail)
            : base(errorCode, message, null, null, null, null)
        {
            Detail = detail;
        }

        /// <summary>With the (sanitized) cause kept as the inner exception.</summary>
        public CognitoDeviceConfigurationException(string errorCode, string message, string? detail, Exception? innerException)
            : base(errorCode, message, null, null, null, innerException)
        {
            Detail = detail;
        }

        /// <summary>Extra diagnostic text (e.g. the type of the underlying SDK exception), never a secret.</summary>
        public string? Detail { get; }
    }
}
