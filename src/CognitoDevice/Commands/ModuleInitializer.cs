using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using CognitoDevice.Runtime;

namespace CognitoDevice.Commands
{
    /// <summary>
    /// On import outside the module's own load context (Windows PowerShell 5.1, which has none, or CognitoDevice.dll
    /// imported by path on PowerShell 7 instead of through the manifest): resolve the module's own dependencies, by
    /// name and version, from its folder. On removal, stop. Behind CognitoDevice.Loader's load context (PowerShell 7
    /// through the manifest) nothing is hooked: the load context answers for the module's dependencies.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty;

        public void OnImport()
        {
            if (InModuleLoadContext(typeof(ModuleInitializer).Assembly)) return;
            AppDomain.CurrentDomain.AssemblyResolve -= Resolve; // once, however often the module is imported
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }

        public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        /// <summary>Never throws: an exception inside the resolve event can take the host process down.</summary>
        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            try
            {
                string? path = DependencyResolver.ResolvePath(args.Name, ModuleDirectory);
                return path is null ? null : Assembly.LoadFrom(path);
            }
            catch (Exception)
            {
                return null;
            }
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
                return context is not null && alc!.GetProperty("Name")?.GetValue(context) as string == DependencyResolver.LoadContextName;
            }
            catch (Exception)
            {
                return false;
            }
        }
    }
}
