using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CognitoDevice.Validation
{
    /// <summary>
    /// The plain-code validators. They agree with the attributes on the cmdlets (same pattern strings)
    /// and with the service model read with Java regex semantics. Messages never contain an access token.
    /// </summary>
    internal static class InputRules
    {
        private static readonly Regex DeviceKeyRegex = new Regex(CognitoPatterns.DeviceKey, RegexOptions.None);
        private static readonly Regex UserPoolIdRegex = new Regex(CognitoPatterns.UserPoolId, RegexOptions.None);
        private static readonly Regex AccessTokenRegex = new Regex(CognitoPatterns.AccessToken, RegexOptions.None);
        private static readonly Regex PaginationTokenRegex = new Regex(CognitoPatterns.PaginationToken, RegexOptions.None);

        public static bool IsDeviceKey(string? value) =>
            value is not null
            && value.Length >= CognitoPatterns.DeviceKeyMinLength
            && value.Length <= CognitoPatterns.DeviceKeyMaxLength
            && DeviceKeyRegex.IsMatch(value);

        public static bool IsUserPoolId(string? value) =>
            value is not null
            && value.Length >= CognitoPatterns.UserPoolIdMinLength
            && value.Length <= CognitoPatterns.UserPoolIdMaxLength
            && UserPoolIdRegex.IsMatch(value);

        public static bool IsAccessToken(string? value) => value is not null && AccessTokenRegex.IsMatch(value);

        public static bool IsPaginationToken(string? value) => value is not null && PaginationTokenRegex.IsMatch(value);

        /// <summary>The API's spelling of a remembered status typed in any case (ValidateSet ignores case; the service does not).</summary>
        public static string NormalizeRememberedStatus(string value)
        {
            if (string.Equals(value, CognitoPatterns.Remembered, StringComparison.OrdinalIgnoreCase)) return CognitoPatterns.Remembered;
            if (string.Equals(value, CognitoPatterns.NotRemembered, StringComparison.OrdinalIgnoreCase)) return CognitoPatterns.NotRemembered;
            throw new ArgumentException($"'{Printable(value)}' is not a remembered status: use '{CognitoPatterns.Remembered}' or '{CognitoPatterns.NotRemembered}'.", nameof(value));
        }

        public static bool IsLimit(int value) => value >= CognitoPatterns.LimitMin && value <= CognitoPatterns.LimitMax;

        /// <summary>
        /// UsernameType, per code point: each is a letter, mark, symbol, number or punctuation, and there are 1..128 of them.
        /// An unpaired surrogate is not a character and fails.
        /// </summary>
        public static bool IsUsername(string? value)
        {
            if (value is null) return false;
            int codePoints = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (char.IsHighSurrogate(c))
                {
                    if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1])) return false;
                }
                else if (char.IsLowSurrogate(c))
                {
                    return false;
                }
                if (!IsUsernameCategory(CharUnicodeInfo.GetUnicodeCategory(value, i))) return false;
                if (char.IsHighSurrogate(c)) i++;
                codePoints++;
                if (codePoints > CognitoPatterns.UsernameMaxLength) return false;
            }
            return codePoints >= CognitoPatterns.UsernameMinLength;
        }

        private static bool IsUsernameCategory(UnicodeCategory category)
        {
            switch (category)
            {
                case UnicodeCategory.UppercaseLetter:
                case UnicodeCategory.LowercaseLetter:
                case UnicodeCategory.TitlecaseLetter:
                case UnicodeCategory.ModifierLetter:
                case UnicodeCategory.OtherLetter:
                case UnicodeCategory.NonSpacingMark:
                case UnicodeCategory.SpacingCombiningMark:
                case UnicodeCategory.EnclosingMark:
                case UnicodeCategory.MathSymbol:
                case UnicodeCategory.CurrencySymbol:
                case UnicodeCategory.ModifierSymbol:
                case UnicodeCategory.OtherSymbol:
                case UnicodeCategory.DecimalDigitNumber:
                case UnicodeCategory.LetterNumber:
                case UnicodeCategory.OtherNumber:
                case UnicodeCategory.ConnectorPunctuation:
                case UnicodeCategory.DashPunctuation:
                case UnicodeCategory.OpenPunctuation:
                case UnicodeCategory.ClosePunctuation:
                case UnicodeCategory.InitialQuotePunctuation:
                case UnicodeCategory.FinalQuotePunctuation:
                case UnicodeCategory.OtherPunctuation:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>
        /// Why <paramref name="value"/> is not an access token, in words that never quote it; null when it is one.
        /// </summary>
        public static string? DescribeAccessTokenProblem(string? value)
        {
            if (value is null || value.Length == 0) return "The access token is empty.";
            if (IsAccessToken(value)) return null;
            const string Form = "An access token has only the letters A-Z and a-z, the digits 0-9 and the characters '-', '_', '=' and '.'";
            string trimmed = value.Trim();
            if (trimmed.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("Bearer\t", StringComparison.OrdinalIgnoreCase))
            {
                return "The access token starts with the 'Bearer' scheme. Pass the token alone, without 'Bearer '. " + Form + ". (The value is not shown.)";
            }
            if (trimmed.Length != value.Length)
            {
                return "The access token has white space or a line break before or after it. Trim it. " + Form + ". (The value is not shown.)";
            }
            if (trimmed.Length > 1 && (trimmed[0] == '"' || trimmed[0] == '\'') && trimmed[trimmed.Length - 1] == trimmed[0])
            {
                return "The access token is wrapped in quotes. Pass the token without them. " + Form + ". (The value is not shown.)";
            }
            return "The access token has characters that Cognito never issues. " + Form + ". (The value is not shown.)";
        }

        /// <summary>A message for a value that is not a device key; device keys are not secret and are quoted.</summary>
        public static string DescribeDeviceKeyProblem(string? value) =>
            value is null
                ? "The device key is null."
                : $"'{Printable(value)}' is not a Cognito device key: it must match {CognitoPatterns.DeviceKey} (a region-like prefix, '_', then lowercase hexadecimal and '-'), 1 to 55 characters, such as 'us-east-1_0a1b2c3d-4e5f-6789-abcd-ef0123456789'.";

        public static string DescribeUserPoolIdProblem(string? value) =>
            value is null
                ? "The user pool ID is null."
                : $"'{Printable(value)}' is not a Cognito user pool ID: it must match {CognitoPatterns.UserPoolId}, 1 to 55 characters, such as 'us-east-1_AbCdEf123'.";

        public static string DescribeUsernameProblem(string? value) =>
            value is null
                ? "The user name is null."
                : $"'{Printable(value)}' is not a Cognito user name: it must be 1 to 128 letters, marks, symbols, numbers or punctuation ({CognitoPatterns.Username}), with no white space or control characters.";

        /// <summary>Shows control characters as escapes and cuts long values, so an error message stays readable.</summary>
        internal static string Printable(string value)
        {
            const int Max = 80;
            var builder = new System.Text.StringBuilder();
            foreach (char c in value)
            {
                if (builder.Length >= Max)
                {
                    builder.Append("...");
                    break;
                }
                if (c == '\n') builder.Append("\\n");
                else if (c == '\r') builder.Append("\\r");
                else if (c == '\t') builder.Append("\\t");
                else if (char.IsControl(c)) builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else builder.Append(c);
            }
            return builder.ToString();
        }
    }
}
