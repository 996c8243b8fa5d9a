using System;
using System.IO;
using System.Reflection;

namespace CognitoDevice.Runtime
{
    /// <summary>
    /// Finds the module's own dependencies in its folder, whatever version was asked for. Windows PowerShell 5.1
    /// has no binding redirects for modules, so AWSSDK.Core's references (System.Memory 4.0.1.x asked for,
    /// 4.0.1.2 shipped) would fail without this; it stands in for the redirects, as AWS Tools' resolver does.
    /// </summary>
    internal static class DependencyResolver
    {
        /// <summary>The path of the requested assembly in <paramref name="moduleDirectory"/>, or null when it is not ours.</summary>
        public static string? ResolvePath(string requestedFullName, string moduleDirectory)
        {
            AssemblyName requested;
            try
            {
                requested = new AssemblyName(requestedFullName);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is FileLoadException)
            {
                return null;
            }
            string? name = requested.Name;
            if (string.IsNullOrEmpty(name) || name!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) return null;
            if (string.Equals(name, typeof(DependencyResolver).Assembly.GetName().Name, StringComparison.OrdinalIgnoreCase)) return null;
            string candidate = Path.Combine(moduleDirectory, name + ".dll");
            return File.Exists(candidate) ? candidate : null;
        }
    }
}
