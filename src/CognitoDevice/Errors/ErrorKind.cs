namespace CognitoDevice.Errors
{
    /// <summary>
    /// How an error is classed. The member names and numbers are those of
    /// System.Management.Automation.ErrorCategory (a metadata test proves it), so the cmdlet glue converts
    /// with a cast while this plain code stays free of PowerShell types.
    /// </summary>
    internal enum ErrorKind
    {
        NotSpecified = 0,
        InvalidArgument = 5,
        InvalidOperation = 7,
        ObjectNotFound = 13,
        OperationStopped = 14,
        OperationTimeout = 15,
        PermissionDenied = 18,
        ResourceUnavailable = 21,
        SecurityError = 25,
        ProtocolError = 26,
        ConnectionError = 27,
        AuthenticationError = 28,
        LimitsExceeded = 29,
        NotEnabled = 31,
    }
}
