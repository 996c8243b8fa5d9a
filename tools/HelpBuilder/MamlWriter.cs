using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace CognitoDevice.HelpBuilder
{
    /// <summary>
    /// Writes MAML (the helpItems schema PowerShell's help system reads from &lt;Module&gt;.dll-Help.xml), in the
    /// shape platyPS's New-ExternalHelp produces: details, description, syntax per parameter set, parameters,
    /// input and return types, notes (alertSet), examples and related links.
    /// </summary>
    internal static class MamlWriter
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        private static readonly XNamespace MSHelp = "http://msdn.microsoft.com/mshelp";

        public static XDocument Write(IEnumerable<HelpDocument> docs) =>
            new(
                new XDeclaration("1.0", "utf-8", null),
                new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), docs.Select(CommandElement)));

        private static XElement CommandElement(HelpDocument doc) =>
            new(Command + "command",
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XAttribute(XNamespace.Xmlns + "MSHelp", MSHelp),
                new XElement(Command + "details",
                    new XElement(Command + "name", doc.Name),
                    new XElement(Command + "verb", doc.Verb),
                    new XElement(Command + "noun", doc.Noun),
                    Description(doc.Synopsis)),
                Description(doc.Description),
                new XElement(Command + "syntax", doc.Syntax.Select(set => SyntaxItem(doc, set))),
                new XElement(Command + "parameters", doc.Parameters.Select(p => Parameter(p, p.Blocks[0]))),
                new XElement(Command + "inputTypes", doc.Inputs.Select(t => TypeElement("inputType", t))),
                new XElement(Command + "returnValues", doc.Outputs.Select(t => TypeElement("returnValue", t))),
                new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(doc.Notes))),
                new XElement(Command + "examples", doc.Examples.Select(Example)),
                new XElement(Command + "relatedLinks", Links(doc)));

        private static XElement SyntaxItem(HelpDocument doc, SyntaxSet set) =>
            new(Command + "syntaxItem",
                new XElement(Maml + "name", doc.Name),
                set.ParameterNames.Select(name =>
                {
                    HelpParameter parameter = doc.Parameter(name)!;
                    return Parameter(parameter, parameter.For(set.Name)!);
                }));

        private static XElement Parameter(HelpParameter parameter, ParameterAttributes a)
        {
            string position = a.Position.Equals("Named", System.StringComparison.OrdinalIgnoreCase) ? "named" : a.Position;
            var element = new XElement(Command + "parameter",
                new XAttribute("required", a.Required ? "true" : "false"),
                new XAttribute("variableLength", "true"),
                new XAttribute("globbing", a.Globbing ? "true" : "false"),
                new XAttribute("pipelineInput", a.PipelineInput),
                new XAttribute("position", position),
                new XAttribute("aliases", a.Aliases.Count == 0 ? "none" : string.Join(", ", a.Aliases)),
                new XElement(Maml + "name", parameter.Name),
                Description(parameter.Description));
            if (!a.IsSwitch)
            {
                element.Add(new XElement(Command + "parameterValue",
                    new XAttribute("required", "true"),
                    new XAttribute("variableLength", "false"),
                    a.Type));
            }

            element.Add(
                new XElement(Dev + "type", new XElement(Maml + "name", a.Type), new XElement(Maml + "uri")),
                new XElement(Dev + "defaultValue", a.DefaultValue));
            return element;
        }

        private static XElement TypeElement(string kind, HelpType type) =>
            new(Command + kind,
                new XElement(Dev + "type", new XElement(Maml + "name", type.TypeName)),
                Description(type.Description));

        private static XElement Example(HelpExample example) =>
            new(Command + "example",
                new XElement(Maml + "title", $"-------------------------- {example.Title} --------------------------"),
                new XElement(Dev + "code", string.Join("\n\n", example.Code)),
                new XElement(Dev + "remarks", Paras(example.Remarks)));

        private static IEnumerable<XElement> Links(HelpDocument doc)
        {
            if (doc.OnlineVersion is not null)
            {
                yield return Link("Online Version:", doc.OnlineVersion);
            }

            foreach (HelpLink link in doc.RelatedLinks)
            {
                yield return Link(link.Text, link.Uri);
            }
        }

        private static XElement Link(string text, string uri) =>
            new(Maml + "navigationLink", new XElement(Maml + "linkText", text), new XElement(Maml + "uri", uri));

        private static XElement Description(IEnumerable<string> paragraphs) =>
            new(Maml + "description", Paras(paragraphs));

        private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs) =>
            paragraphs.Select(p => new XElement(Maml + "para", p));
    }
}
