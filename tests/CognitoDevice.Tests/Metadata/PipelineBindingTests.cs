using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace CognitoDevice.Tests.Metadata
{
    /// <summary>
    /// Which parameter set a piped object can bind to, by property name, computed from the DLL's parameter
    /// metadata the way the binder decides: a set is possible when every mandatory parameter of it is bound on the
    /// command line or takes a property of the piped object by name (DeviceKey also by value).
    /// </summary>
    public sealed class PipelineBindingTests : IDisposable
    {
        private readonly ModuleMetadata _meta = new();

        public void Dispose() => _meta.Dispose();

        private string[] PossibleSets(string cmdlet, IEnumerable<string> objectProperties, params string[] commandLine)
        {
            var parameters = ModuleMetadata.Parameters(_meta.Cmdlet(cmdlet)).SelectMany(kv => kv.Value).ToList();
            var sets = parameters.Select(p => p.Set).Where(s => s != "__AllParameterSets").Distinct();
            var props = new HashSet<string>(objectProperties, StringComparer.OrdinalIgnoreCase);
            return sets.Where(set =>
            {
                var inSet = parameters.Where(p => p.Set == set || p.Set == "__AllParameterSets").ToList();
                if (commandLine.Any(c => !inSet.Any(p => p.Property.Name == c))) return false; // a bound parameter not in this set
                return inSet.Where(p => p.Mandatory).All(p => commandLine.Contains(p.Property.Name) || (p.FromPipelineByPropertyName && props.Contains(p.Property.Name)));
            }).OrderBy(s => s).ToArray();
        }

        private IEnumerable<string> DeviceProperties() =>
            _meta.Module.GetType("CognitoDevice.Device")!.GetProperties().Select(p => p.Name);

        [Theory]
        [InlineData("Remove-CognitoDevice")]
        [InlineData("Set-CognitoDevice")]
        public void Admin_listed_devices_bind_to_the_Admin_set_with_nothing_repeated(string cmdlet)
        {
            string[] extra = cmdlet == "Set-CognitoDevice" ? new[] { "RememberedStatus" } : Array.Empty<string>();
            Assert.Equal(new[] { "Admin" }, PossibleSets(cmdlet, DeviceProperties(), extra));
        }

        [Theory]
        [InlineData("Remove-CognitoDevice")]
        [InlineData("Set-CognitoDevice")]
        public void Token_listed_devices_bind_to_the_AccessToken_set_when_the_token_is_passed_again(string cmdlet)
        {
            var extra = new List<string> { "AccessToken" };
            if (cmdlet == "Set-CognitoDevice") extra.Add("RememberedStatus");
            Assert.Equal(new[] { "AccessToken" }, PossibleSets(cmdlet, DeviceProperties(), extra.ToArray()));
        }

        [Fact]
        public void Device_objects_carry_no_access_token_and_the_keys_the_parameters_take()
        {
            var props = DeviceProperties().ToList();
            Assert.DoesNotContain(props, p => p.Contains("Token", StringComparison.OrdinalIgnoreCase));
            foreach (string name in new[] { "DeviceKey", "UserPoolId", "Username", "Region" }) Assert.Contains(name, props);
        }

        [Fact]
        public void PassThru_objects_pipe_on_too()
        {
            foreach (string type in new[] { "CognitoDevice.ForgottenDevice", "CognitoDevice.DeviceRememberedStatusChange" })
            {
                var props = _meta.Module.GetType(type)!.GetProperties().Select(p => p.Name);
                Assert.Equal(new[] { "Admin" }, PossibleSets("Remove-CognitoDevice", props));
            }
        }

        [Fact]
        public void A_plain_string_key_needs_the_user_on_the_command_line()
        {
            Assert.Empty(PossibleSets("Remove-CognitoDevice", Array.Empty<string>()));
            Assert.Equal(new[] { "Admin" }, PossibleSets("Remove-CognitoDevice", Array.Empty<string>(), "UserPoolId", "Username", "DeviceKey"));
        }
    }
}
