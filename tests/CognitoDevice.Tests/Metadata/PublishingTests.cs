using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace CognitoDevice.Tests.Metadata
{
    /// <summary>What the PowerShell Gallery and a licence review read: manifest metadata, LICENSE, notices, the help files.</summary>
    public sealed class PublishingTests
    {
        private readonly string _manifest = File.ReadAllText(Path.Combine(TestPaths.ModuleFolder, "CognitoDevice.psd1"));

        [Fact]
        public void Every_assembly_in_the_module_folder_is_named_in_the_third_party_notices()
        {
            string notices = File.ReadAllText(Path.Combine(TestPaths.ModuleFolder, "THIRD-PARTY-NOTICES.txt"));
            string[] dlls = Directory.GetFiles(TestPaths.ModuleFolder, "*.dll", SearchOption.AllDirectories)
                .Select(Path.GetFileName)
                .Where(f => !f!.StartsWith("CognitoDevice.", StringComparison.Ordinal)) // the module's own assemblies (Apache-2.0, LICENSE)
                .ToArray()!;
            Assert.NotEmpty(dlls);
            foreach (string dll in dlls)
            {
                Assert.True(Regex.IsMatch(notices, "(?m)^" + Regex.Escape(dll!) + "( |$)"), $"{dll} ships in the module folder but THIRD-PARTY-NOTICES.txt has no section for it.");
            }
        }

        [Fact]
        public void The_module_folder_carries_the_Apache_2_0_licence_in_full()
        {
            string license = File.ReadAllText(Path.Combine(TestPaths.ModuleFolder, "LICENSE"));
            Assert.Contains("Apache License", license);
            Assert.Contains("Version 2.0, January 2004", license);
            Assert.Contains("END OF TERMS AND CONDITIONS", license);
            Assert.Equal(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "LICENSE")), license);
        }

        [Fact]
        public void Manifest_has_the_Gallery_metadata()
        {
            Match tags = Regex.Match(_manifest, @"(?m)^\s*Tags\s*=\s*@\(([^)]*)\)");
            Assert.True(tags.Success);
            string[] values = Regex.Matches(tags.Groups[1].Value, "'([^']*)'").Select(m => m.Groups[1].Value).ToArray();
            foreach (string tag in new[] { "PSEdition_Desktop", "PSEdition_Core", "Windows", "Linux", "MacOS", "AWS", "Cognito" })
            {
                Assert.Contains(tag, values);
            }

            Assert.DoesNotContain(values, v => v.Any(char.IsWhiteSpace)); // the Gallery splits tags on spaces
            Assert.Matches(@"(?m)^\s*ProjectUri\s*=\s*'https://[^']+'", _manifest);
            Assert.Matches(@"(?m)^\s*LicenseUri\s*=\s*'https://[^']+'", _manifest);
            Assert.Matches(@"(?m)^\s*ReleaseNotes\s*=\s*'[^']*'", _manifest); // filled from CHANGELOG.md by tools/Build-Package.ps1
        }

        [Fact]
        public void CHANGELOG_has_an_entry_for_the_module_version()
        {
            string changelog = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "CHANGELOG.md")).Replace("\r\n", "\n");
            Match first = Regex.Match(changelog, @"(?m)^## v(\d+\.\d+\.\d+) - \d{4}-\d{2}-\d{2}\s*\n(.*?)(?=^## |\z)", RegexOptions.Singleline);
            Assert.True(first.Success, "CHANGELOG.md has no '## vX.Y.Z - YYYY-MM-DD' entry.");
            Assert.Equal(TestPaths.ModuleVersion, first.Groups[1].Value);
            Assert.NotEmpty(first.Groups[2].Value.Trim());
        }

        [Fact]
        public void Help_is_in_the_module_folder_as_MAML_for_each_exported_cmdlet()
        {
            string maml = Path.Combine(TestPaths.ModuleFolder, "en-US", "CognitoDevice.dll-Help.xml");
            XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
            string[] documented = XDocument.Load(maml).Descendants(command + "details").Select(d => d.Element(command + "name")!.Value).OrderBy(n => n).ToArray();
            Assert.Equal(new[] { "Get-CognitoDevice", "Remove-CognitoDevice", "Set-CognitoDevice" }, documented);
            Assert.True(File.Exists(Path.Combine(TestPaths.ModuleFolder, "en-US", "about_CognitoDevice.help.txt")));
        }
    }
}
