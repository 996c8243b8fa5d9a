using System;
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
            var secure = new SecureString();
            foreach (char c in value) secure.AppendChar(c);
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
