using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using CognitoDevice.Validation;
using Xunit;

namespace CognitoDevice.Tests.Metadata
{
    /// <summary>Pins what PowerShell will see in the built DLL: cmdlets, parameter sets, attributes, exact values.</summary>
    public sealed class CmdletMetadataTests : IDisposable
    {
        private const string AllSets = "__AllParameterSets";
        private readonly ModuleMetadata _meta = new();

        public void Dispose() => _meta.Dispose();

        [Fact]
        public void The_module_exports_exactly_the_three_device_cmdlets()
        {
            Assert.Equal(new[] { "Get-CognitoDevice", "Remove-CognitoDevice", "Set-CognitoDevice" },
                _meta.Cmdlets.Select(t => $"{ModuleMetadata.Arg(ModuleMetadata.Attribute(t, "CmdletAttribute")!, 0)}-{ModuleMetadata.Arg(ModuleMetadata.Attribute(t, "CmdletAttribute")!, 1)}").OrderBy(n => n));
            foreach (Type t in _meta.Cmdlets)
            {
                Assert.True(t.IsSealed, t.Name);
                Assert.Equal("CognitoDevice.Commands", t.Namespace);
                Assert.Contains(t.GetInterfaces(), i => i.FullName == "System.IDisposable");
            }
        }

        [Theory]
        [InlineData("Remove-CognitoDevice", true, 2 /* Medium */, "CognitoDevice.ForgottenDevice")]
        [InlineData("Set-CognitoDevice", true, 2, "CognitoDevice.DeviceRememberedStatusChange")]
        [InlineData("Get-CognitoDevice", false, null, "CognitoDevice.Device")]
        public void Cmdlet_attribute_and_output_type(string name, bool shouldProcess, int? confirmImpact, string outputType)
        {
            Type t = _meta.Cmdlet(name);
            var cmdlet = ModuleMetadata.Attribute(t, "CmdletAttribute")!;
            Assert.Equal("AccessToken", ModuleMetadata.Named(cmdlet, "DefaultParameterSetName"));
            Assert.Equal(shouldProcess, (bool?)ModuleMetadata.Named(cmdlet, "SupportsShouldProcess") ?? false);
            Assert.Equal(confirmImpact, (int?)ModuleMetadata.Named(cmdlet, "ConfirmImpact"));
            var output = ModuleMetadata.Attribute(t, "OutputTypeAttribute")!;
            var types = (IEnumerable<CustomAttributeTypedArgument>)ModuleMetadata.Arg(output, 0)!;
            Assert.Equal(outputType, ((Type)Assert.Single(types).Value!).FullName);
        }

        // name, set, mandatory, position, byValue, byPropertyName
        [Theory]
        [InlineData("Remove-CognitoDevice", "AccessToken", "AccessToken", true, null, false, false)]
        [InlineData("Remove-CognitoDevice", "UserPoolId", "Admin", true, null, false, true)]
        [InlineData("Remove-CognitoDevice", "Username", "Admin", true, null, false, true)]
        [InlineData("Remove-CognitoDevice", "ProfileName", "Admin", false, null, false, false)]
        [InlineData("Remove-CognitoDevice", "DeviceKey", AllSets, true, 0, true, true)]
        [InlineData("Remove-CognitoDevice", "Region", AllSets, false, null, false, true)]
        [InlineData("Remove-CognitoDevice", "EndpointUrl", AllSets, false, null, false, false)]
        [InlineData("Remove-CognitoDevice", "Force", AllSets, false, null, false, false)]
        [InlineData("Remove-CognitoDevice", "PassThru", AllSets, false, null, false, false)]
        [InlineData("Set-CognitoDevice", "DeviceKey", AllSets, true, 0, true, true)]
        [InlineData("Set-CognitoDevice", "RememberedStatus", AllSets, true, null, false, false)]
        [InlineData("Set-CognitoDevice", "AccessToken", "AccessToken", true, null, false, false)]
        [InlineData("Set-CognitoDevice", "UserPoolId", "Admin", true, null, false, true)]
        [InlineData("Get-CognitoDevice", "DeviceKey", "AccessTokenDeviceKey", true, 0, true, true)]
        [InlineData("Get-CognitoDevice", "DeviceKey", "AdminDeviceKey", true, 0, true, true)]
        [InlineData("Get-CognitoDevice", "PageSize", "AccessToken", false, null, false, false)]
        [InlineData("Get-CognitoDevice", "PageSize", "Admin", false, null, false, false)]
        [InlineData("Get-CognitoDevice", "AccessToken", "AccessToken", true, null, false, false)]
        [InlineData("Get-CognitoDevice", "AccessToken", "AccessTokenDeviceKey", true, null, false, false)]
        [InlineData("Get-CognitoDevice", "UserPoolId", "Admin", true, null, false, true)]
        [InlineData("Get-CognitoDevice", "UserPoolId", "AdminDeviceKey", true, null, false, true)]
        [InlineData("Get-CognitoDevice", "Username", "Admin", true, null, false, true)]
        [InlineData("Get-CognitoDevice", "Username", "AdminDeviceKey", true, null, false, true)]
        [InlineData("Get-CognitoDevice", "ProfileName", "Admin", false, null, false, false)]
        [InlineData("Get-CognitoDevice", "ProfileName", "AdminDeviceKey", false, null, false, false)]
        [InlineData("Get-CognitoDevice", "UserPoolId", "AdminPool", true, null, false, false)]
        [InlineData("Get-CognitoDevice", "ProfileName", "AdminPool", false, null, false, false)]
        [InlineData("Get-CognitoDevice", "UserFilter", "AdminPool", false, null, false, false)]
        [InlineData("Get-CognitoDevice", "ResumeToken", "AdminPool", false, null, false, false)]
        public void Parameter_declarations(string cmdlet, string parameter, string set, bool mandatory, int? position, bool byValue, bool byPropertyName)
        {
            var p = Assert.Single(ModuleMetadata.Parameters(_meta.Cmdlet(cmdlet))[parameter], d => d.Set == set);
            Assert.Equal(mandatory, p.Mandatory);
            Assert.Equal(position, p.Position);
            Assert.Equal(byValue, p.FromPipeline);
            Assert.Equal(byPropertyName, p.FromPipelineByPropertyName);
        }

        // Listing and getting are separate sets: -PageSize with -DeviceKey is a binding error, not a value silently ignored.
        [Theory]
        [InlineData("Get-CognitoDevice", "DeviceKey", new[] { "AccessTokenDeviceKey", "AdminDeviceKey" })]
        [InlineData("Get-CognitoDevice", "PageSize", new[] { "AccessToken", "Admin" })]
        [InlineData("Get-CognitoDevice", "AccessToken", new[] { "AccessToken", "AccessTokenDeviceKey" })]
        [InlineData("Get-CognitoDevice", "UserPoolId", new[] { "Admin", "AdminDeviceKey", "AdminPool" })]
        [InlineData("Get-CognitoDevice", "Username", new[] { "Admin", "AdminDeviceKey" })]
        [InlineData("Get-CognitoDevice", "UserFilter", new[] { "AdminPool" })]
        [InlineData("Get-CognitoDevice", "ResumeToken", new[] { "AdminPool" })]
        [InlineData("Remove-CognitoDevice", "AccessToken", new[] { "AccessToken" })]
        [InlineData("Remove-CognitoDevice", "UserPoolId", new[] { "Admin" })]
        public void Parameter_sets_of(string cmdlet, string parameter, string[] sets) =>
            Assert.Equal(sets, ModuleMetadata.Parameters(_meta.Cmdlet(cmdlet))[parameter].Select(d => d.Set).OrderBy(n => n, StringComparer.Ordinal));

        [Theory]
        [InlineData("Remove-CognitoDevice", new[] { "AccessToken", "DeviceKey", "EndpointUrl", "Force", "PassThru", "ProfileName", "Region", "UserPoolId", "Username" })]
        [InlineData("Set-CognitoDevice", new[] { "AccessToken", "DeviceKey", "EndpointUrl", "Force", "PassThru", "ProfileName", "Region", "RememberedStatus", "UserPoolId", "Username" })]
        [InlineData("Get-CognitoDevice", new[] { "AccessToken", "DeviceKey", "EndpointUrl", "PageSize", "ProfileName", "Region", "ResumeToken", "UserFilter", "UserPoolId", "Username" })]
        public void Exactly_these_parameters(string cmdlet, string[] names) =>
            Assert.Equal(names, ModuleMetadata.Parameters(_meta.Cmdlet(cmdlet)).Keys.OrderBy(n => n, StringComparer.Ordinal));

        [Theory]
        [InlineData("Remove-CognitoDevice")]
        [InlineData("Set-CognitoDevice")]
        [InlineData("Get-CognitoDevice")]
        public void Patterns_are_exact_full_match_case_sensitive(string cmdlet)
        {
            var props = _meta.Cmdlet(cmdlet).GetProperties();
            void Pattern(string name, string pattern, int min, int max)
            {
                PropertyInfo p = props.Single(x => x.Name == name);
                var vp = ModuleMetadata.Attribute(p, "ValidatePatternAttribute")!;
                Assert.Equal(pattern, ModuleMetadata.Arg(vp, 0));
                Assert.Equal((int)RegexOptions.None, ModuleMetadata.Named(vp, "Options"));
                var vl = ModuleMetadata.Attribute(p, "ValidateLengthAttribute")!;
                Assert.Equal(min, ModuleMetadata.Arg(vl, 0));
                Assert.Equal(max, ModuleMetadata.Arg(vl, 1));
            }
            Pattern("DeviceKey", @"\A[A-Za-z0-9_-]+_[0-9a-f-]+\z", 1, 55);
            // The user pool ID's validator checks the same constant in code (InputRules.IsUserPoolId) and lets a piped
            // null through, so that a token-listed device piped without -AccessToken gets one clear error.
            PropertyInfo pool = props.Single(x => x.Name == "UserPoolId");
            Assert.NotNull(ModuleMetadata.Attribute(pool, "ValidateUserPoolIdAttribute"));
            Assert.NotNull(ModuleMetadata.Attribute(pool, "AllowNullAttribute"));
            Assert.Equal(@"\A[A-Za-z0-9_-]+_[0-9a-zA-Z]+\z", CognitoPatterns.UserPoolId);
            Assert.Equal(CognitoPatterns.DeviceKey, @"\A[A-Za-z0-9_-]+_[0-9a-f-]+\z");

            PropertyInfo token = props.Single(x => x.Name == "AccessToken");
            Assert.NotNull(ModuleMetadata.Attribute(token, "ValidateAccessTokenAttribute"));
            Assert.NotNull(ModuleMetadata.Attribute(token, "AccessTokenTransformationAttribute")); // a plain string still binds
            Assert.Equal("System.Security.SecureString", token.PropertyType.FullName);            // so the prompt masks it
            Assert.Null(ModuleMetadata.Attribute(token, "ValidatePatternAttribute")); // it would print the token
            PropertyInfo user = props.Single(x => x.Name == "Username");
            Assert.NotNull(ModuleMetadata.Attribute(user, "ValidateUsernameAttribute"));
        }

        [Fact]
        public void The_token_validator_overrides_only_ValidateElement()
        {
            Type attribute = _meta.Module.GetType("CognitoDevice.Commands.ValidateAccessTokenAttribute")!;
            Assert.Equal("System.Management.Automation.ValidateEnumeratedArgumentsAttribute", attribute.BaseType!.FullName);
            var declared = attribute.GetMethods(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly).Select(m => m.Name);
            Assert.Equal(new[] { "ValidateElement" }, declared);
        }

        [Fact]
        public void RememberedStatus_offers_the_APIs_two_values()
        {
            PropertyInfo p = _meta.Cmdlet("Set-CognitoDevice").GetProperty("RememberedStatus")!;
            var set = ModuleMetadata.Attribute(p, "ValidateSetAttribute")!;
            var values = ((IEnumerable<CustomAttributeTypedArgument>)ModuleMetadata.Arg(set, 0)!).Select(v => (string)v.Value!);
            Assert.Equal(new[] { "remembered", "not_remembered" }, values);
        }

        [Fact]
        public void Each_parameter_set_has_a_unique_mandatory_parameter()
        {
            foreach (Type t in _meta.Cmdlets)
            {
                var ps = ModuleMetadata.Parameters(t).SelectMany(kv => kv.Value).ToList();
                Assert.Contains(ps, p => p.Set == "AccessToken" && p.Mandatory && p.Property.Name == "AccessToken");
                Assert.Contains(ps, p => p.Set == "Admin" && p.Mandatory && p.Property.Name == "UserPoolId");
            }
        }

        [Fact]
        public void ErrorKind_is_ErrorCategory_by_name_and_number()
        {
            Type category = _meta.Automation.GetType("System.Management.Automation.ErrorCategory")!;
            var expected = category.GetFields(BindingFlags.Public | BindingFlags.Static).ToDictionary(f => f.Name, f => Convert.ToInt32(f.GetRawConstantValue()));
            foreach (CognitoDevice.Errors.ErrorKind kind in Enum.GetValues<CognitoDevice.Errors.ErrorKind>())
            {
                Assert.True(expected.TryGetValue(kind.ToString(), out int value), kind.ToString());
                Assert.Equal(value, (int)kind);
            }
        }

        [Fact]
        public void The_module_initializer_resolves_dependencies_on_import()
        {
            Type init = _meta.Module.GetType("CognitoDevice.Commands.ModuleInitializer")!;
            Assert.Contains(init.GetInterfaces(), i => i.Name == "IModuleAssemblyInitializer");
            Assert.Contains(init.GetInterfaces(), i => i.Name == "IModuleAssemblyCleanup");
        }

        [Fact]
        public void Public_surface_exposes_no_dependency_type()
        {
            foreach (Type t in _meta.Module.GetExportedTypes())
            {
                foreach (PropertyInfo p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
                {
                    Assert.False(p.PropertyType.Assembly.GetName().Name!.StartsWith("AWSSDK", StringComparison.Ordinal), $"{t.Name}.{p.Name}");
                }
            }
            Assert.DoesNotContain(_meta.Module.GetExportedTypes(), t => t.Name.Contains("Signer") || t.Name.Contains("Credential"));
            // Import-Module enumerates exported types (PSSnapInHelpers.GetAssemblyTypes -> GetExportedTypes): loading them must
            // not need AWSSDK.Core, so no exported type may derive from or implement one of its types.
            foreach (Type t in _meta.Module.GetExportedTypes())
            {
                for (Type? b = t; b is not null; b = b.BaseType) Assert.False(b.Assembly.GetName().Name!.StartsWith("AWSSDK", StringComparison.Ordinal), t.FullName);
                Assert.DoesNotContain(t.GetInterfaces(), i => i.Assembly.GetName().Name!.StartsWith("AWSSDK", StringComparison.Ordinal));
            }
        }
    }
}
