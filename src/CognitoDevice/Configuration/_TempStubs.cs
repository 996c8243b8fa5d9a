using System;
namespace CognitoDevice.Configuration
{
    internal sealed class AwsSharedConfig { public static AwsSharedConfig Load(Func<string, string?> env, string? home, string? p) => new AwsSharedConfig(); public string? GetConfigValue(string k) => null; }
    internal static class AwsBool { public static bool? Parse(string? v) => v is null ? null : string.Equals(v, "true", StringComparison.OrdinalIgnoreCase); }
    internal static class CognitoEndpointResolver { public static Uri Resolve(string? r, bool f, bool d, string? o) => o is not null ? new Uri(o) : new Uri("https://cognito-idp." + r + ".amazonaws.com"); public static bool IsValidRegion(string r) => true; }
    internal sealed class EndpointResolutionException : Exception { public EndpointResolutionException(string m) : base(m) { } public string ErrorId => "x"; }
}
