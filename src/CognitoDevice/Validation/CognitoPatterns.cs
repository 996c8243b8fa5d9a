namespace CognitoDevice.Validation
{
    /// <summary>
    /// The service model's patterns (service-2.json), written so that .NET means exactly what the
    /// service means: a full match (<c>\A...\z</c>; <c>$</c> would also match before a trailing newline),
    /// ASCII <c>\w</c> spelled out, case-sensitive (<c>RegexOptions.None</c>; PowerShell's default is
    /// IgnoreCase). Each string is used both by the cmdlet attributes and by <see cref="InputRules"/>.
    /// </summary>
    internal static class CognitoPatterns
    {
        /// <summary>DeviceKeyType: <c>[\w-]+_[0-9a-f-]+</c>, length 1..55.</summary>
        public const string DeviceKey = @"\A[A-Za-z0-9_-]+_[0-9a-f-]+\z";
        public const int DeviceKeyMinLength = 1;
        public const int DeviceKeyMaxLength = 55;

        /// <summary>UserPoolIdType: <c>[\w-]+_[0-9a-zA-Z]+</c>, length 1..55.</summary>
        public const string UserPoolId = @"\A[A-Za-z0-9_-]+_[0-9a-zA-Z]+\z";
        public const int UserPoolIdMinLength = 1;
        public const int UserPoolIdMaxLength = 55;

        /// <summary>
        /// UsernameType: <c>[\p{L}\p{M}\p{S}\p{N}\p{P}]+</c>, length 1..128, both counted in Unicode code points
        /// as the service (Java) does. .NET regex sees UTF-16 code units, so a character outside the BMP
        /// (an emoji is \p{So}) would not match; <see cref="InputRules.IsUsername"/> checks code points instead.
        /// </summary>
        public const string Username = @"[\p{L}\p{M}\p{S}\p{N}\p{P}]+";
        public const int UsernameMinLength = 1;
        public const int UsernameMaxLength = 128;

        /// <summary>TokenModelType: <c>[A-Za-z0-9-_=.]+</c> (the hyphen after a range is a literal).</summary>
        public const string AccessToken = @"\A[A-Za-z0-9_=.-]+\z";

        /// <summary>SearchPaginationTokenType: <c>[\S]+</c>, at least 1 character.</summary>
        public const string PaginationToken = @"\A[^\s]+\z";

        /// <summary>QueryLimitType: 0..60.</summary>
        public const int LimitMin = 0;
        public const int LimitMax = 60;

        /// <summary>ListUsers' Filter (UserFilterType): at most 256 characters.</summary>
        public const int UserFilterMaxLength = 256;

        /// <summary>DeviceRememberedStatusType values.</summary>
        public const string Remembered = "remembered";
        public const string NotRemembered = "not_remembered";
    }
}
