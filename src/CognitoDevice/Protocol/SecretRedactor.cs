using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace CognitoDevice.Protocol
{
    /// <summary>
    /// The last line of defence: every message that leaves the client passes through here, and every known
    /// secret (access token, secret key, session token) and anything shaped like a JWT is replaced.
    /// </summary>
    internal static class SecretRedactor
    {
        public const string Mask = "[redacted]";

        private static readonly Regex JwtShape = new Regex(@"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_=-]*", RegexOptions.None);

        public static string Redact(string? text, IEnumerable<string?>? secrets)
        {
            if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
            string result = text!;
            if (secrets is not null)
            {
                foreach (string? secret in secrets)
                {
                    if (secret is null || secret.Length < 4) continue;
                    int index;
                    while ((index = result.IndexOf(secret, StringComparison.Ordinal)) >= 0)
                    {
                        result = result.Substring(0, index) + Mask + result.Substring(index + secret.Length);
                    }
                }
            }
            return JwtShape.Replace(result, Mask);
        }
    }
}
