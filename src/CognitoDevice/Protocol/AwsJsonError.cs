using System;
using System.Collections.Generic;

namespace CognitoDevice.Protocol
{
    /// <summary>
    /// Reads the error code and message of an awsJson1_1 error response as the Smithy protocol tests do:
    /// the <c>x-amzn-ErrorType</c> header first, else the body's <c>__type</c>, else its <c>code</c>;
    /// everything after the first ':' and up to the last '#' is cut; the message is <c>message</c> or <c>Message</c>.
    /// </summary>
    internal static class AwsJsonError
    {
        public static string? SanitizeCode(string? raw)
        {
            if (raw is null) return null;
            string code = raw;
            int colon = code.IndexOf(':');
            if (colon >= 0) code = code.Substring(0, colon);
            int hash = code.LastIndexOf('#');
            if (hash >= 0) code = code.Substring(hash + 1);
            code = code.Trim();
            return code.Length == 0 ? null : code;
        }

        /// <summary>Parses an error answer. <paramref name="body"/> may be empty or not JSON; then only the header counts.</summary>
        public static bool TryParse(string? errorTypeHeader, string? body, out string code, out string? message)
        {
            message = null;
            Dictionary<string, object?>? document = null;
            if (!string.IsNullOrWhiteSpace(body))
            {
                try
                {
                    document = Json.Parse(body!) as Dictionary<string, object?>;
                }
                catch (JsonFormatException)
                {
                    document = null;
                }
            }

            if (document is not null)
            {
                message = (document.TryGetValue("message", out object? m) ? m as string : null)
                    ?? (document.TryGetValue("Message", out object? m2) ? m2 as string : null);
            }

            string? found = SanitizeCode(errorTypeHeader);
            if (found is null && document is not null)
            {
                found = SanitizeCode(document.TryGetValue("__type", out object? t) ? t as string : null)
                    ?? SanitizeCode(document.TryGetValue("code", out object? c) ? c as string : null);
            }

            code = found ?? string.Empty;
            return found is not null;
        }
    }
}
