using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;

namespace CognitoDevice.Tests.Metadata
{
    /// <summary>The built module DLL loaded for inspection only (MetadataLoadContext), against PowerShellStandard's reference assembly.</summary>
    internal sealed class ModuleMetadata : IDisposable
    {
        private readonly MetadataLoadContext _context;

        public ModuleMetadata()
        {
            string folder = TestPaths.ModuleFolder;
            var paths = new List<string>(Directory.GetFiles(folder, "*.dll"));
            paths.Add(TestPaths.PowerShellStandardReference);
            paths.AddRange(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
                .Where(p => !paths.Any(q => Path.GetFileName(q).Equals(Path.GetFileName(p), StringComparison.OrdinalIgnoreCase))));
            _context = new MetadataLoadContext(new PathAssemblyResolver(paths));
            Module = _context.LoadFromAssemblyPath(Path.Combine(folder, "CognitoDevice.dll"));
            Automation = _context.LoadFromAssemblyName("System.Management.Automation");
        }

        public Assembly Module { get; }

        public Assembly Automation { get; }

        public IEnumerable<Type> Cmdlets => Module.GetExportedTypes().Where(t => Attribute(t, "CmdletAttribute") is not null);

        public Type Cmdlet(string name) => Cmdlets.Single(t => $"{Arg(Attribute(t, "CmdletAttribute")!, 0)}-{Arg(Attribute(t, "CmdletAttribute")!, 1)}" == name);

        public static CustomAttributeData? Attribute(MemberInfo member, string name) =>
            member.GetCustomAttributesData().SingleOrDefault(a => a.AttributeType.Name == name);

        public static IEnumerable<CustomAttributeData> Attributes(MemberInfo member, string name) =>
            member.GetCustomAttributesData().Where(a => a.AttributeType.Name == name);

        public static object? Arg(CustomAttributeData attribute, int index) => attribute.ConstructorArguments[index].Value;

        public static object? Named(CustomAttributeData attribute, string name) =>
            attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => a.TypedValue.Value).FirstOrDefault();

        /// <summary>The parameters of a cmdlet: property name → its [Parameter] attributes (one per set).</summary>
        public static Dictionary<string, List<ParameterInfo>> Parameters(Type cmdlet) =>
            cmdlet.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => Attributes(p, "ParameterAttribute").Any())
                .ToDictionary(p => p.Name, p => Attributes(p, "ParameterAttribute").Select(a => new ParameterInfo(p, a)).ToList());

        public void Dispose() => _context.Dispose();

        internal sealed class ParameterInfo
        {
            public ParameterInfo(PropertyInfo property, CustomAttributeData attribute)
            {
                Property = property;
                Set = (string?)Named(attribute, "ParameterSetName") ?? "__AllParameterSets";
                Mandatory = (bool?)Named(attribute, "Mandatory") ?? false;
                Position = (int?)Named(attribute, "Position");
                FromPipeline = (bool?)Named(attribute, "ValueFromPipeline") ?? false;
                FromPipelineByPropertyName = (bool?)Named(attribute, "ValueFromPipelineByPropertyName") ?? false;
            }

            public PropertyInfo Property { get; }

            public string Set { get; }

            public bool Mandatory { get; }

            public int? Position { get; }

            public bool FromPipeline { get; }

            public bool FromPipelineByPropertyName { get; }
        }
    }
}
