using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace CognitoDevice.Tests
{
    /// <summary>Where things are: the repository, the built module folder, the service model copies.</summary>
    internal static class TestPaths
    {
        public static string RepoRoot { get; } = FindRepoRoot();

        public static string ServiceModel(string file) => Path.Combine(RepoRoot, "tests", "ServiceModel", file);

        public static string ModuleVersion => Metadata("ModuleVersion");

        /// <summary>output/CognitoDevice/&lt;version&gt;/, laid out by the module's build.</summary>
        public static string ModuleFolder => Path.Combine(RepoRoot, "output", "CognitoDevice", ModuleVersion);

        public static string PowerShellStandardReference => Metadata("PowerShellStandardReference");

        private static string Metadata(string key) =>
            typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
            ?? throw new InvalidOperationException("Missing assembly metadata " + key);

        private static string FindRepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CognitoDevice.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("CognitoDevice.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
