using System;
using System.Collections.Generic;
using System.Linq;

namespace CognitoDevice.HelpBuilder
{
    /// <summary>One cmdlet's help as the platyPS Markdown schema (version 2.0.0) describes it.</summary>
    internal sealed class HelpDocument
    {
        public HelpDocument(string path) => Path = path;

        public string Path { get; }

        public string Name { get; set; } = string.Empty;

        public string? OnlineVersion { get; set; }

        public List<string> Synopsis { get; } = new();

        public List<SyntaxSet> Syntax { get; } = new();

        public List<string> Description { get; } = new();

        public List<HelpExample> Examples { get; } = new();

        public List<HelpParameter> Parameters { get; } = new();

        public List<HelpType> Inputs { get; } = new();

        public List<HelpType> Outputs { get; } = new();

        public List<string> Notes { get; } = new();

        public List<HelpLink> RelatedLinks { get; } = new();

        public string Verb => Name.Split('-')[0];

        public string Noun => Name.Contains('-') ? Name.Substring(Name.IndexOf('-') + 1) : string.Empty;

        public HelpParameter? Parameter(string name) =>
            Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A parameter set under ## SYNTAX: "### Name" or "### Name (Default)" and the syntax line in a code block.</summary>
    internal sealed record SyntaxSet(string Name, bool IsDefault, IReadOnlyList<string> ParameterNames);

    /// <summary>"### Example N: title", its code and the sentences after it.</summary>
    internal sealed class HelpExample
    {
        public HelpExample(string title) => Title = title;

        public string Title { get; }

        public List<string> Code { get; } = new();

        public List<string> Remarks { get; } = new();
    }

    /// <summary>"### -Name", its description and one yaml block per group of parameter sets that share its attributes.</summary>
    internal sealed class HelpParameter
    {
        public HelpParameter(string name) => Name = name;

        public string Name { get; }

        public List<string> Description { get; } = new();

        public List<ParameterAttributes> Blocks { get; } = new();

        /// <summary>The yaml block that describes the parameter in <paramref name="set"/>, or null.</summary>
        public ParameterAttributes? For(string set) =>
            Blocks.FirstOrDefault(b => b.ParameterSets.Any(s => s == "(All)" || string.Equals(s, set, StringComparison.Ordinal)));
    }

    /// <summary>The yaml block of a parameter (platyPS keys).</summary>
    internal sealed record ParameterAttributes(
        string Type,
        IReadOnlyList<string> ParameterSets,
        IReadOnlyList<string> Aliases,
        bool Required,
        string Position,
        string DefaultValue,
        string PipelineInput,
        bool Globbing)
    {
        public bool IsSwitch => Type is "SwitchParameter" or "System.Management.Automation.SwitchParameter";
    }

    /// <summary>An input or output type ("### TypeName") and what it means.</summary>
    internal sealed record HelpType(string TypeName, IReadOnlyList<string> Description);

    /// <summary>A related link: its text and, when it is a web address, the address.</summary>
    internal sealed record HelpLink(string Text, string Uri);
}
