using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace CognitoDevice.Tests.Metadata
{
    /// <summary>The module folder as Import-Module will read it: manifest, version, files.</summary>
    public sealed class ModuleLayoutTests : IDisposable
    {
        private readonly ModuleMetadata _meta = new();
        private readonly string _manifest = File.ReadAllText(Path.Combine(TestPaths.ModuleFolder, "CognitoDevice.psd1"));

        public void Dispose() => _meta.Dispose();

        private string Value(string key) => Regex.Match(_manifest, @"(?m)^\s*" + key + @"\s*=\s*'([^']*)'").Groups[1].Value;

        private string[] List(string key)
        {
            Match m = Regex.Match(_manifest, @"(?ms)^\s*" + key + @"\s*=\s*@\((.*?)\)");
            Assert.True(m.Success, key);
            return Regex.Matches(m.Groups[1].Value, "'([^']*)'").Select(x => x.Groups[1].Value).ToArray();
        }

        [Fact]
        public void Manifest_version_equals_the_assembly_version_and_the_folder_name()
        {
            string version = Value("ModuleVersion");
            Assert.Matches(@"^\d+\.\d+\.\d+$", version);
            Assert.Equal(version, new DirectoryInfo(TestPaths.ModuleFolder).Name);
            Assert.Equal(new Version(version + ".0"), _meta.Module.GetName().Version);
            string informational = _meta.Module.GetCustomAttributesData()
                .Single(a => a.AttributeType.Name == "AssemblyInformationalVersionAttribute").ConstructorArguments[0].Value as string ?? "";
            Assert.Equal(version, informational);
            Assert.Equal(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "CognitoDevice.psd1")), _manifest); // the shipped manifest is the source one
        }

        [Fact]
        public void CmdletsToExport_equals_the_cmdlets_in_the_dll()
        {
            var inDll = _meta.Cmdlets.Select(t => $"{ModuleMetadata.Arg(ModuleMetadata.Attribute(t, "CmdletAttribute")!, 0)}-{ModuleMetadata.Arg(ModuleMetadata.Attribute(t, "CmdletAttribute")!, 1)}");
            Assert.Equal(inDll.OrderBy(x => x), List("CmdletsToExport").OrderBy(x => x));
            Assert.Empty(List("FunctionsToExport"));
            Assert.Empty(List("VariablesToExport"));
            Assert.Empty(List("AliasesToExport"));
        }

        [Fact]
        public void Manifest_targets_both_editions_from_51()
        {
            Assert.Equal("CognitoDevice.psm1", Value("RootModule")); // the loader script; the cmdlets are in CognitoDevice.dll
            Assert.Equal("5.1", Value("PowerShellVersion"));
            Assert.Equal(new[] { "Desktop", "Core" }, List("CompatiblePSEditions"));
            Assert.Equal(new[] { "CognitoDevice.format.ps1xml" }, List("FormatsToProcess"));
        }

        [Fact]
        public void Folder_holds_the_module_and_its_dependencies_and_nothing_from_PowerShellStandard()
        {
            var files = Directory.GetFiles(TestPaths.ModuleFolder).Select(Path.GetFileName).ToList();
            Assert.Contains("CognitoDevice.dll", files);
            Assert.Contains("CognitoDevice.psd1", files);
            Assert.Contains("CognitoDevice.format.ps1xml", files);
            Assert.Contains("CognitoDevice.psm1", files);
            Assert.Contains("CognitoDevice.Loader.dll", files);
            Assert.Contains("AWSSDK.Core.dll", files);
            Assert.DoesNotContain("System.Management.Automation.dll", files);
            Assert.DoesNotContain(files, f => f!.StartsWith("Microsoft.PowerShell", StringComparison.OrdinalIgnoreCase));
            // Every assembly the module or its dependencies reference is in the folder or is part of .NET Framework 4.7.2 / netstandard.
            var inFolder = files.Where(f => f!.EndsWith(".dll")).Select(f => Path.GetFileNameWithoutExtension(f)!).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (string dll in Directory.GetFiles(TestPaths.ModuleFolder, "*.dll"))
            {
                var asm = _meta.Module.GetName().Name == Path.GetFileNameWithoutExtension(dll) ? _meta.Module : null;
                if (asm is null) continue;
                foreach (AssemblyName reference in asm.GetReferencedAssemblies())
                {
                    Assert.True(inFolder.Contains(reference.Name!) || reference.Name is "netstandard" or "System.Management.Automation", reference.Name);
                }
            }
        }

        [Fact]
        public void The_token_path_needs_only_the_BCL()
        {
            // CognitoDevice.dll references netstandard (the BCL), System.Management.Automation (the engine) and AWSSDK.Core,
            // and AWSSDK.Core is touched only by the Admin signer (proved at run time by TokenPathLoadTests).
            var references = _meta.Module.GetReferencedAssemblies().Select(r => r.Name).OrderBy(n => n).ToArray();
            Assert.Equal(new[] { "AWSSDK.Core", "netstandard", "System.Management.Automation" }, references);
        }

        [Fact]
        public void Format_file_has_a_table_view_for_devices()
        {
            var doc = XDocument.Load(Path.Combine(TestPaths.ModuleFolder, "CognitoDevice.format.ps1xml"));
            var view = doc.Descendants("View").Single(v => v.Descendants("TypeName").Any(t => t.Value == "CognitoDevice.Device"));
            Assert.NotNull(view.Element("TableControl"));
            var columns = view.Descendants("TableColumnItem").Select(c => (c.Element("PropertyName") ?? c.Element("ScriptBlock"))!.Value.Trim()).ToArray();
            Assert.Equal(new[] { "DeviceName", "DeviceKey", "RememberedStatus", "LastAuthenticatedDate", "LastIpUsed" }, columns);
        }
    }
}
