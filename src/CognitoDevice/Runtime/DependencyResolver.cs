using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Reflection;

namespace CognitoDevice.Runtime
{
    /// <summary>
    /// Which assembly requests the module answers from its own folder. One rule, compiled into CognitoDevice.dll
    /// (the AppDomain.AssemblyResolve fallback of Windows PowerShell 5.1) and into CognitoDevice.Loader.dll (the
    /// module's AssemblyLoadContext on PowerShell 7): a request is answered only with a file the module ships, of
    /// the same name, the same public key token, the same major version and a version at least the one asked for
    /// (what a binding redirect within one major version allows: AWSSDK.Core asks for System.Memory 4.0.1.1, the
    /// module ships 4.0.1.2). A request for AWSSDK.Core 3.3.0.0 is never answered with the module's 4.0.0.0, and
    /// nothing here throws.
    /// </summary>
    internal static class DependencyResolver
    {
        /// <summary>The name of the module's AssemblyLoadContext on PowerShell 7.</summary>
        public const string LoadContextName = "CognitoDevice";

        /// <summary>The cmdlet assembly: never answered by the resolver (PowerShell or the load context loads it by path).</summary>
        public const string ModuleAssemblyName = "CognitoDevice";

        /// <summary>The PowerShell 7 loader, in the default context: never a dependency.</summary>
        public const string LoaderAssemblyName = "CognitoDevice.Loader";

        private static readonly ConcurrentDictionary<string, AssemblyName?> ShippedNames =
            new ConcurrentDictionary<string, AssemblyName?>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The path of the shipped file that satisfies <paramref name="requestedFullName"/> in <paramref name="moduleDirectory"/>, or null.</summary>
        public static string? ResolvePath(string requestedFullName, string moduleDirectory)
        {
            AssemblyName requested;
            try
            {
                requested = new AssemblyName(requestedFullName);
            }
            catch (Exception)
            {
                return null;
            }
            return ResolvePath(requested, moduleDirectory);
        }

        /// <summary>The path of the shipped file that satisfies <paramref name="requested"/> in <paramref name="moduleDirectory"/>, or null.</summary>
        public static string? ResolvePath(AssemblyName requested, string moduleDirectory)
        {
            try
            {
                string? name = requested.Name;
                if (string.IsNullOrEmpty(name) || name!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.IndexOf("..", StringComparison.Ordinal) >= 0) return null;
                if (string.Equals(name, ModuleAssemblyName, StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(name, LoaderAssemblyName, StringComparison.OrdinalIgnoreCase)) return null;
                if (string.IsNullOrEmpty(moduleDirectory)) return null;
                string candidate = Path.Combine(moduleDirectory, name + ".dll");
                if (!File.Exists(candidate)) return null;
                AssemblyName? shipped = ShippedNames.GetOrAdd(candidate, ReadAssemblyName);
                return shipped is not null && Satisfies(shipped, requested) ? candidate : null;
            }
            catch (Exception)
            {
                return null;
            }
        }

        /// <summary>
        /// Whether the assembly <paramref name="shipped"/> may answer a request for <paramref name="requested"/>:
        /// same name, neutral culture, same public key token (when one is asked for), same major version, and a
        /// version at least the one asked for (or none asked for).
        /// </summary>
        public static bool Satisfies(AssemblyName shipped, AssemblyName requested)
        {
            if (!string.Equals(shipped.Name, requested.Name, StringComparison.OrdinalIgnoreCase)) return false;
            if (!string.IsNullOrEmpty(requested.CultureName)) return false; // the module ships no satellite assemblies
            byte[]? wantedToken = requested.GetPublicKeyToken();
            if (wantedToken is not null && wantedToken.Length > 0)
            {
                byte[]? shippedToken = shipped.GetPublicKeyToken();
                if (shippedToken is null || !wantedToken.SequenceEqual(shippedToken)) return false;
            }
            Version? wanted = requested.Version;
            if (wanted is null) return true;
            Version? have = shipped.Version;
            return have is not null && have.Major == wanted.Major && have >= wanted;
        }

        /// <summary>
        /// Whether <paramref name="assembly"/> was loaded by CognitoDevice.Loader's load context. AssemblyLoadContext
        /// exists only on .NET (Core), so it is reached by reflection: on .NET Framework the answer is always no.
        /// </summary>
        internal static bool InModuleLoadContext(Assembly assembly)
        {
            try
            {
                Type? alc = Type.GetType("System.Runtime.Loader.AssemblyLoadContext", throwOnError: false);
                object? context = alc?.GetMethod("GetLoadContext", new[] { typeof(Assembly) })?.Invoke(null, new object[] { assembly });
                return context is not null && alc!.GetProperty("Name")?.GetValue(context) as string == LoadContextName;
            }
            catch (Exception)
            {
                return false;
            }
        }

        private static AssemblyName? ReadAssemblyName(string path)
        {
            try
            {
                return AssemblyName.GetAssemblyName(path);
            }
            catch (Exception)
            {
                return null;
            }
        }
    }
}
