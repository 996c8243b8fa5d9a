using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using CognitoDevice.Runtime;

namespace CognitoDevice.Loader
{
    /// <summary>
    /// The module's own AssemblyLoadContext on PowerShell 7 (models: PowerShell-ALC-Samples, PowerShellEditorServices'
    /// PsesLoadContext, PSOpenAD's LoadContext). CognitoDevice.dll and every dependency it ships (AWSSDK.*, System.*
    /// packages) load here, so another module's AWSSDK.Core in the default context, loaded before or after, never meets
    /// the module's. What this context does not answer falls back to the default context: PowerShell itself
    /// (System.Management.Automation) and the runtime. A shipped System.* package that the runtime already has at the
    /// same or a newer version is left to the runtime, as .NET's host does for an application: two copies of
    /// System.Memory would make two Span types, and the runtime's copies cannot be replaced by another module.
    /// </summary>
    public sealed class ModuleLoadContext : AssemblyLoadContext
    {
        private static readonly object Sync = new object();
        private static ModuleLoadContext? _instance;

        private readonly string _directory;
        private readonly Assembly _module;
        private readonly Lazy<Dictionary<string, string>> _platform;

        /// <summary>
        /// A load context for the module in <paramref name="moduleDirectory"/>, with CognitoDevice.dll loaded in it.
        /// <paramref name="platformAssemblies"/> are the paths of the runtime's and the host's assemblies, whose
        /// copies win over a shipped one of the same or an older version; null means the process's trusted platform
        /// assemblies (the runtime and pwsh with its dependencies).
        /// </summary>
        public ModuleLoadContext(string moduleDirectory, bool isCollectible, IEnumerable<string>? platformAssemblies = null)
            : base(DependencyResolver.LoadContextName, isCollectible)
        {
            _directory = Path.GetFullPath(moduleDirectory);
            _platform = new Lazy<Dictionary<string, string>>(() => ByName(platformAssemblies ?? TrustedPlatformAssemblies()));
            _module = LoadFromAssemblyPath(Path.Combine(_directory, DependencyResolver.ModuleAssemblyName + ".dll"));
        }

        /// <summary>CognitoDevice.dll as loaded in this context.</summary>
        public Assembly ModuleAssembly => _module;

        /// <summary>
        /// The module's load context for the folder of this loader, created once per process (Remove-Module and
        /// Import-Module reuse it), and CognitoDevice.dll loaded in it, for <c>Import-Module -Assembly</c>.
        /// </summary>
        public static Assembly Initialize()
        {
            lock (Sync)
            {
                InitializeCount++;
                _instance ??= new ModuleLoadContext(
                    Path.GetDirectoryName(typeof(ModuleLoadContext).Assembly.Location) ?? throw new InvalidOperationException("The CognitoDevice loader has no location."),
                    isCollectible: false);
                return _instance._module;
            }
        }

        /// <summary>How often <see cref="Initialize"/> ran in this process: more than once means the module is imported again.</summary>
        public static int InitializeCount { get; private set; }

        /// <summary>Never throws: null hands the request to the default context.</summary>
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            try
            {
                if (string.Equals(assemblyName.Name, DependencyResolver.ModuleAssemblyName, StringComparison.OrdinalIgnoreCase))
                {
                    return DependencyResolver.Satisfies(_module.GetName(), assemblyName) ? _module : null;
                }
                string? path = DependencyResolver.ResolvePath(assemblyName, _directory);
                if (path is null) return null;                     // not the module's: PowerShell's or the runtime's
                if (RuntimeHas(assemblyName)) return null;         // the runtime's copy is the same or newer
                return LoadFromAssemblyPath(path);
            }
            catch (Exception)
            {
                return null;
            }
        }

        private bool RuntimeHas(AssemblyName requested)
        {
            if (requested.Name is null || !_platform.Value.TryGetValue(requested.Name, out string? path)) return false;
            Version? have = AssemblyName.GetAssemblyName(path).Version;
            return requested.Version is null || (have is not null && have >= requested.Version);
        }

        /// <summary>The trusted platform assemblies of the process: the runtime and the host (pwsh and its dependencies).</summary>
        private static IEnumerable<string> TrustedPlatformAssemblies() =>
            AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list
                ? list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                : Array.Empty<string>();

        private static Dictionary<string, string> ByName(IEnumerable<string> paths)
        {
            var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string path in paths)
            {
                byName.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            }
            return byName;
        }
    }
}
