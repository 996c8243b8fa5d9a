using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace CognitoDevice.Bench
{
    /// <summary>
    /// The assembly-load child. This class names no module type at all (reflection by name only), so nothing
    /// loads CognitoDevice.dll or AWSSDK.Core.dll before the measured LoadFromAssemblyPath calls.
    /// </summary>
    internal static class LoadChild
    {
        /// <summary>Token-path types forced after loading the module assembly (type load + static constructor).</summary>
        internal static readonly string[] TokenPathTypes =
        {
            "CognitoDevice.Configuration.CognitoSettings",
            "CognitoDevice.Configuration.AwsSharedConfig",
            "CognitoDevice.Configuration.RegionResolver",
            "CognitoDevice.Configuration.CognitoEndpointResolver",
            "CognitoDevice.Configuration.AwsPartition",
            "CognitoDevice.Runtime.ModuleRuntime",
            "CognitoDevice.Protocol.CognitoClient",
            "CognitoDevice.Protocol.CognitoCall",
            "CognitoDevice.Protocol.RetryStrategy",
            "CognitoDevice.Protocol.RetryQuota",
            "CognitoDevice.Protocol.AdaptivePacer",
            "CognitoDevice.Protocol.JsonBody",
            "CognitoDevice.Protocol.Json",
            "CognitoDevice.Protocol.AwsJsonError",
            "CognitoDevice.Protocol.SecretRedactor",
            "CognitoDevice.Errors.ErrorCatalog",
            "CognitoDevice.CognitoDeviceException",
            "CognitoDevice.Operations.DeviceSession",
            "CognitoDevice.Operations.DeviceTarget",
        };

        /// <summary>The Admin path: the module's AWS SDK door and the SDK types it uses.</summary>
        internal static readonly string[] AdminModuleTypes =
        {
            "CognitoDevice.Auth.AdminSigning",
            "CognitoDevice.Auth.AdminCredentials",
            "CognitoDevice.Auth.SigV4Signer",
        };

        internal static readonly string[] AdminSdkTypes =
        {
            "Amazon.Runtime.AWSCredentials",
            "Amazon.Runtime.ImmutableCredentials",
            "Amazon.Runtime.CredentialManagement.CredentialProfileStoreChain",
            "Amazon.Runtime.Credentials.DefaultAWSCredentialsIdentityResolver",
        };

        /// <summary>
        /// --load-child MODULE_DIR: AssemblyLoadContext.Default.LoadFromAssemblyPath of CognitoDevice.dll from the
        /// laid-out module folder, then the token-path types; then, separately, AWSSDK.Core from the same folder and
        /// the Admin-path types. Dependencies asked for by name resolve from the module folder when the runtime does
        /// not have them (as the module's AssemblyResolve handler does in PowerShell).
        /// </summary>
        public static int AssemblyLoad(string[] args)
        {
            long t0 = Stopwatch.GetTimestamp();
            if (args.Length != 2)
            {
                Console.Error.WriteLine("usage: " + Children.LoadMode + " <module directory>");
                return 2;
            }
            string dir = Path.GetFullPath(args[1]);
            AssemblyLoadContext.Default.Resolving += (context, name) =>
            {
                string candidate = Path.Combine(dir, name.Name + ".dll");
                return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
            };
            var before = new HashSet<string>(AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? ""), StringComparer.Ordinal);
            double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

            long a0 = Stopwatch.GetTimestamp();
            Assembly module = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(dir, "CognitoDevice.dll"));
            long a1 = Stopwatch.GetTimestamp();
            var perType = new Dictionary<string, double>(StringComparer.Ordinal);
            long tPrev = a1;
            foreach (string name in TokenPathTypes)
            {
                RuntimeHelpers.RunClassConstructor(module.GetType(name, throwOnError: true)!.TypeHandle);
                long tNow = Stopwatch.GetTimestamp();
                perType[name] = Ms(tPrev, tNow);
                tPrev = tNow;
            }
            long a2 = Stopwatch.GetTimestamp();
            List<Assembly> afterToken = AppDomain.CurrentDomain.GetAssemblies().ToList();
            bool sdkLoadedOnTokenPath = afterToken.Any(a => a.GetName().Name == "AWSSDK.Core");

            long b0 = Stopwatch.GetTimestamp();
            Assembly sdk = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(dir, "AWSSDK.Core.dll"));
            long b1 = Stopwatch.GetTimestamp();
            tPrev = b1;
            foreach (string name in AdminModuleTypes.Concat(AdminSdkTypes))
            {
                Assembly owner = name.StartsWith("CognitoDevice.", StringComparison.Ordinal) ? module : sdk;
                RuntimeHelpers.RunClassConstructor(owner.GetType(name, throwOnError: true)!.TypeHandle);
                long tNow = Stopwatch.GetTimestamp();
                perType[name] = Ms(tPrev, tNow);
                tPrev = tNow;
            }
            long b2 = Stopwatch.GetTimestamp();
            List<Assembly> afterAdmin = AppDomain.CurrentDomain.GetAssemblies().ToList();

            static string Describe(Assembly a) => (a.GetName().Name ?? "?") + " (" + (a.IsDynamic ? "dynamic" : a.Location) + ")";
            var tokenNew = afterToken.Where(a => !before.Contains(a.GetName().Name ?? "")).Select(Describe).OrderBy(s => s, StringComparer.Ordinal).ToList();
            var tokenNames = new HashSet<string>(afterToken.Select(a => a.GetName().Name ?? ""), StringComparer.Ordinal);
            var adminNew = afterAdmin.Where(a => !tokenNames.Contains(a.GetName().Name ?? "")).Select(Describe).OrderBy(s => s, StringComparer.Ordinal).ToList();

            var result = new Dictionary<string, object?>
            {
                ["mainToReadyMs"] = Ms(t0, a0),
                ["moduleLoadMs"] = Ms(a0, a1),
                ["tokenTypesMs"] = Ms(a1, a2),
                ["tokenPathMs"] = Ms(a0, a2),
                ["sdkLoadMs"] = Ms(b0, b1),
                ["adminTypesMs"] = Ms(b1, b2),
                ["adminPathMs"] = Ms(b0, b2),
                ["moduleLocation"] = module.Location,
                ["sdkLocation"] = sdk.Location,
                ["sdkLoadedOnTokenPath"] = sdkLoadedOnTokenPath,
                ["tokenPathAssemblies"] = tokenNew,
                ["adminPathAssemblies"] = adminNew,
                ["perTypeMs"] = perType,
            };
            Console.Out.Write(System.Text.Json.JsonSerializer.Serialize(result) + "\n");
            return 0;
        }
    }
}
