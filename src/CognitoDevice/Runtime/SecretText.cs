using System;
using System.Net;
using System.Runtime.InteropServices;
using System.Security;

namespace CognitoDevice.Runtime
{
    /// <summary>
    /// Moves a secret between its plain and SecureString forms. The access token parameter is a SecureString so that
    /// a token typed at PowerShell's prompt for a missing mandatory value is masked and kept out of transcripts; the
    /// wire needs the plain text, once per invocation.
    /// </summary>
    internal static class SecretText
    {
        public static SecureString Protect(string value)
        {
            // NetworkCredential builds the SecureString from the string's characters in one copy (the
            // SecureString(char*, int) constructor); AppendChar per character cost ~0.25 µs a character, about 170 µs
            // for a typical access token, on every invocation that binds -AccessToken as a string.
            SecureString secure = value.Length == 0 ? new SecureString() : new NetworkCredential(string.Empty, value).SecurePassword;
            secure.MakeReadOnly();
            return secure;
        }

        public static string? Reveal(SecureString? value)
        {
            if (value is null) return null;
            IntPtr buffer = IntPtr.Zero;
            try
            {
                buffer = Marshal.SecureStringToGlobalAllocUnicode(value);
                return Marshal.PtrToStringUni(buffer, value.Length);
            }
            finally
            {
                if (buffer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(buffer);
            }
        }
    }
}
