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
            if (DependencyResolver.InModuleLoadContext(typeof(ModuleInitializer).Assembly)) return;
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
    }
}
