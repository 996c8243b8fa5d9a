using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using CognitoDevice.Runtime;

namespace CognitoDevice.Commands
{
    /// <summary>On import, resolve the module's dependencies from its own folder; on removal, stop.</summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty;

        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

        public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            string? path = DependencyResolver.ResolvePath(args.Name, ModuleDirectory);
            return path is null ? null : Assembly.LoadFrom(path);
        }
    }
}
