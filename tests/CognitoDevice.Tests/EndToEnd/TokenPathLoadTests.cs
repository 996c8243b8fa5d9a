using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint;
using CognitoDevice.Loader;
using Xunit;

namespace CognitoDevice.Tests.EndToEnd
{
    /// <summary>
    /// Loads the BUILT module (output/CognitoDevice/&lt;version&gt;/) into its own load context, the one PowerShell 7 gets
    /// from CognitoDevice.Loader (collectible here), and watches what a call loads. The platform is the runtime's
    /// folder: the test host's own copies of CognitoDevice and AWSSDK.Core are on its trusted list, pwsh's are not.
    /// </summary>
    public sealed class TokenPathLoadTests : IClassFixture<EndpointFixture>
    {
        private readonly LocalCognito _cognito;

        public TokenPathLoadTests(EndpointFixture fixture) => _cognito = fixture.Cognito;

        [Fact]
        public async Task The_token_path_loads_no_AWS_SDK_assembly_and_the_Admin_path_does()
        {
            var s = new Scenario(_cognito);
            var context = new ModuleLoadContext(TestPaths.ModuleFolder, isCollectible: true, RuntimeAssemblies());
            try
            {
                Assembly module = context.ModuleAssembly;
                Assert.Same(context, AssemblyLoadContext.GetLoadContext(module));
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

        internal static string[] RuntimeAssemblies() => Directory.GetFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*.dll");
    }
}
