using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint;
using Xunit;

namespace CognitoDevice.Tests.EndToEnd
{
    /// <summary>
    /// Loads the BUILT module (output/CognitoDevice/&lt;version&gt;/) into its own AssemblyLoadContext, which resolves the
    /// module's files from its folder as PowerShell would, and watches what a call loads.
    /// </summary>
    public sealed class TokenPathLoadTests : IClassFixture<EndpointFixture>
    {
        private readonly LocalCognito _cognito;

        public TokenPathLoadTests(EndpointFixture fixture) => _cognito = fixture.Cognito;

        private sealed class ModuleContext : AssemblyLoadContext
        {
            private static readonly HashSet<string> Platform = new(
                ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(Path.GetFileNameWithoutExtension)!,
                StringComparer.OrdinalIgnoreCase);

            private readonly string _folder;

            public ModuleContext(string folder)
                : base("CognitoDevice-module", isCollectible: true) => _folder = folder;

            protected override Assembly? Load(AssemblyName name)
            {
                // As in PowerShell 7: what the runtime has wins; the rest comes from the module's folder.
                if (Platform.Contains(name.Name!) && !name.Name!.StartsWith("CognitoDevice", StringComparison.Ordinal) && !name.Name.StartsWith("AWSSDK", StringComparison.Ordinal)) return null;
                string path = Path.Combine(_folder, name.Name + ".dll");
                return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
            }
        }

        [Fact]
        public async Task The_token_path_loads_no_AWS_SDK_assembly_and_the_Admin_path_does()
        {
            var s = new Scenario(_cognito);
            var context = new ModuleContext(TestPaths.ModuleFolder);
            try
            {
                Assembly module = context.LoadFromAssemblyPath(Path.Combine(TestPaths.ModuleFolder, "CognitoDevice.dll"));
                Type T(string name) => module.GetType(name, throwOnError: true)!;

                object settings = T("CognitoDevice.Configuration.CognitoSettings").GetMethod("Load")!
                    .Invoke(null, new object?[] { _cognito.Url.ToString(), null, (Func<string, string?>)(_ => null), null })!;
                object client = T("CognitoDevice.Runtime.ModuleRuntime").GetMethod("CreateClient")!.Invoke(null, new[] { settings })!;
                Type signer = T("CognitoDevice.Protocol.IRequestSigner");
                Delegate factory = Delegate.CreateDelegate(typeof(Func<>).MakeGenericType(signer), "no-such-profile-for-this-test",
                    T("CognitoDevice.Auth.AdminSigning").GetMethod("CreateSigner")!);
                Type sessionType = T("CognitoDevice.Operations.DeviceSession");
                object tokenSession = Activator.CreateInstance(sessionType, settings, client, s.Token, factory)!;
                MethodInfo forget = sessionType.GetMethod("ForgetDeviceAsync")!;

                object typed = Enum.ToObject(T("CognitoDevice.Configuration.RegionOrigin"), 0);
                object target = Activator.CreateInstance(T("CognitoDevice.Operations.DeviceTarget"), s.Devices[0].DeviceKey, null, null, null, typed)!;
                await (Task)forget.Invoke(tokenSession, new object?[] { target, null, CancellationToken.None })!;

                Assert.Null(_cognito.State.FindDevice(s.User, s.Devices[0].DeviceKey)); // the call really happened
                Assert.DoesNotContain(context.Assemblies, a => a.GetName().Name!.StartsWith("AWSSDK", StringComparison.Ordinal));
                Assert.DoesNotContain(context.Assemblies, a => a.GetName().Name == "System.Management.Automation");

                // Positive control: the Admin path reaches the SDK (credential resolution fails for the made-up profile).
                object adminSession = Activator.CreateInstance(sessionType, settings, client, null, factory)!;
                object adminTarget = Activator.CreateInstance(T("CognitoDevice.Operations.DeviceTarget"), s.Devices[1].DeviceKey, s.Pool.Id, s.User.Username, null, typed)!;
                var ex = await Assert.ThrowsAnyAsync<Exception>(() => (Task)forget.Invoke(adminSession, new object?[] { adminTarget, null, CancellationToken.None })!);
                Assert.Equal("CognitoDeviceConfigurationException", ex.GetType().Name);
                Assert.Contains(context.Assemblies, a => a.GetName().Name == "AWSSDK.Core" && Path.GetDirectoryName(a.Location) == TestPaths.ModuleFolder.TrimEnd('/'));
            }
            finally
            {
                context.Unload();
            }
        }
    }
}
