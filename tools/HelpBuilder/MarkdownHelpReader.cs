using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CognitoDevice.HelpBuilder
{
    /// <summary>
    /// Reads a platyPS-style cmdlet help file (schema 2.0.0): yaml front matter, "# Verb-Noun", then the sections
    /// ## SYNOPSIS, ## SYNTAX, ## DESCRIPTION, ## EXAMPLES, ## PARAMETERS, ## INPUTS, ## OUTPUTS, ## NOTES and
    /// ## RELATED LINKS. Anything that does not fit the schema is an error naming the file and line, so a
    /// malformed page fails the build instead of shipping as empty help.
    /// </summary>
    internal static class MarkdownHelpReader
    {
        private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

        private static readonly string[] Sections =
        {
            "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS",
        };

        public static HelpDocument Read(string path, string text)
        {
            var doc = new HelpDocument(path);
            MarkdownDocument markdown = Markdown.Parse(text.Replace("\r\n", "\n"), Pipeline);

            string? section = null;
            string? sub = null;
            var seen = new List<string>();
            HelpExample? example = null;
            HelpParameter? parameter = null;
            List<string>? typeText = null;
            string? syntaxSet = null;

            foreach (Block block in markdown)
            {
                int line = block.Line + 1;
                switch (block)
                {
                    case YamlFrontMatterBlock front:
                        ReadFrontMatter(doc, front);
                        continue;
                    case HeadingBlock { Level: 1 } h1:
                        doc.Name = Text(h1.Inline).Trim();
                        continue;
                    case HeadingBlock { Level: 2 } h2:
                        section = Text(h2.Inline).Trim();
                        if (!Sections.Contains(section, StringComparer.Ordinal)) throw Error(path, line, $"'## {section}' is not a section of the platyPS schema ({string.Join(", ", Sections)}).");
                        seen.Add(section);
                        sub = null;
                        example = null;
                        parameter = null;
                        typeText = null;
                        syntaxSet = null;
                        continue;
                    case HeadingBlock { Level: 3 } h3:
                        sub = Text(h3.Inline).Trim();
                        OpenSubsection(doc, section, sub, path, line, out example, out parameter, out typeText, out syntaxSet);
                        continue;
                    case HeadingBlock other:
                        throw Error(path, line, $"A level {other.Level} heading is not part of the schema.");
                }

                if (section is null)
                {
                    throw Error(path, line, "Text before the first ## section.");
                }

                switch (section)
                {
                    case "SYNOPSIS":
                        doc.Synopsis.AddRange(Paragraphs(block));
                        break;
                    case "DESCRIPTION":
                        doc.Description.AddRange(Paragraphs(block));
                        break;
                    case "NOTES":
                        doc.Notes.AddRange(Paragraphs(block));
                        break;
                    case "SYNTAX":
                        if (syntaxSet is null || block is not FencedCodeBlock syntaxCode) throw Error(path, line, "Under ## SYNTAX, each ### <parameter set> holds one code block.");
                        AddSyntax(doc, syntaxSet, Code(syntaxCode));
                        break;
                    case "EXAMPLES":
                        if (example is null) throw Error(path, line, "Under ## EXAMPLES, text belongs to a ### Example N: <title>.");
                        if (block is FencedCodeBlock exampleCode && example.Remarks.Count == 0) example.Code.Add(Code(exampleCode));
                        else example.Remarks.AddRange(block is FencedCodeBlock output ? new[] { Code(output) } : Paragraphs(block));
                        break;
                    case "PARAMETERS":
                        if (sub == "CommonParameters") break;
                        if (parameter is null) throw Error(path, line, "Under ## PARAMETERS, text belongs to a ### -<Name>.");
                        if (block is FencedCodeBlock yaml && yaml.Info == "yaml") parameter.Blocks.Add(ReadAttributes(Code(yaml), path, line));
                        else if (parameter.Blocks.Count == 0) parameter.Description.AddRange(Paragraphs(block));
                        else throw Error(path, line, $"The description of -{parameter.Name} goes before its yaml block.");
                        break;
                    case "INPUTS":
                    case "OUTPUTS":
                        if (typeText is null) throw Error(path, line, $"Under ## {section}, text belongs to a ### <type name>.");
                        typeText.AddRange(Paragraphs(block));
                        break;
                    case "RELATED LINKS":
                        ReadLinks(doc, block);
                        break;
                }
            }

            Check(doc, seen);
            return doc;
        }

        private static void OpenSubsection(HelpDocument doc, string? section, string title, string path, int line,
            out HelpExample? example, out HelpParameter? parameter, out List<string>? typeText, out string? syntaxSet)
        {
            example = null;
            parameter = null;
            typeText = null;
            syntaxSet = null;
            switch (section)
            {
                case "SYNTAX":
                    syntaxSet = title;
                    break;
                case "EXAMPLES":
                    if (!Regex.IsMatch(title, @"^Example \d+", RegexOptions.CultureInvariant)) throw Error(path, line, $"'### {title}': examples are titled 'Example N: <title>'.");
                    example = new HelpExample(title);
                    doc.Examples.Add(example);
                    break;
                case "PARAMETERS":
                    if (title == "CommonParameters") break;
                    if (!title.StartsWith("-", StringComparison.Ordinal)) throw Error(path, line, $"'### {title}': parameters are titled '-<Name>'.");
                    parameter = new HelpParameter(title.Substring(1));
                    doc.Parameters.Add(parameter);
                    break;
                case "INPUTS":
                case "OUTPUTS":
                    typeText = new List<string>();
                    (section == "INPUTS" ? doc.Inputs : doc.Outputs).Add(new HelpType(title, typeText));
                    break;
                default:
                    throw Error(path, line, $"'### {title}' has no place under ## {section}.");
            }
        }

        private static void AddSyntax(HelpDocument doc, string title, string code)
        {
            bool isDefault = title.EndsWith("(Default)", StringComparison.Ordinal);
            string name = isDefault ? title.Substring(0, title.Length - "(Default)".Length).Trim() : title;
            var names = Regex.Matches(code, @"(?<![\w-])-(\w+)", RegexOptions.CultureInvariant)
                .Select(m => m.Groups[1].Value)
                .ToList();
            doc.Syntax.Add(new SyntaxSet(name, isDefault, names));
        }

        private static void ReadFrontMatter(HelpDocument doc, YamlFrontMatterBlock front)
        {
            foreach (string line in front.Lines.Lines.Select(l => l.ToString()))
            {
                int colon = line.IndexOf(':');
                if (colon > 0 && line.Substring(0, colon).Trim() == "online version")
                {
                    string value = line.Substring(colon + 1).Trim();
                    doc.OnlineVersion = value.Length == 0 ? null : value;
                }
            }
        }

        private static ParameterAttributes ReadAttributes(string yaml, string path, int line)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string raw in yaml.Split('\n'))
            {
                if (raw.Trim().Length == 0) continue;
                int colon = raw.IndexOf(':');
                if (colon <= 0) throw Error(path, line, $"'{raw}' is not 'Key: value'.");
                values[raw.Substring(0, colon).Trim()] = raw.Substring(colon + 1).Trim();
            }

            string Get(string key)
            {
                if (!values.TryGetValue(key, out string? value)) throw Error(path, line, $"The yaml block has no '{key}:'.");
                return value;
            }

            static IReadOnlyList<string> List(string value) =>
                value.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();

            return new ParameterAttributes(
                Get("Type"),
                List(Get("Parameter Sets")),
                List(Get("Aliases")),
                Bool(Get("Required"), path, line),
                Get("Position"),
                Get("Default value"),
                Get("Accept pipeline input"),
                Bool(Get("Accept wildcard characters"), path, line));
        }

        private static bool Bool(string value, string path, int line) =>
            value.ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                _ => throw Error(path, line, $"'{value}' is not True or False."),
            };

        private static void ReadLinks(HelpDocument doc, Block block)
        {
            if (block is not ParagraphBlock paragraph || paragraph.Inline is null) return;
            foreach (LinkInline link in paragraph.Inline.Descendants<LinkInline>())
            {
                string url = link.Url ?? string.Empty;
                bool web = url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
                doc.RelatedLinks.Add(new HelpLink(Text(link).Trim(), web ? url : string.Empty));
            }
        }

        private static void Check(HelpDocument doc, List<string> seen)
        {
            string path = doc.Path;
            if (!Regex.IsMatch(doc.Name, @"^[A-Z][a-z]+-\w+$", RegexOptions.CultureInvariant)) throw Error(path, 1, "The page starts with '# Verb-Noun'.");
            foreach (string section in Sections)
            {
                if (!seen.Contains(section)) throw Error(path, 1, $"'## {section}' is missing.");
            }

            if (doc.Synopsis.Count == 0) throw Error(path, 1, "## SYNOPSIS is empty.");
            if (doc.Description.Count == 0) throw Error(path, 1, "## DESCRIPTION is empty.");
            if (doc.Syntax.Count == 0) throw Error(path, 1, "## SYNTAX names no parameter set.");
            foreach (HelpExample example in doc.Examples)
            {
                if (example.Code.Count == 0) throw Error(path, 1, $"'{example.Title}' has no code block.");
                if (example.Remarks.Count == 0) throw Error(path, 1, $"'{example.Title}' has no sentence after its code saying what it does.");
            }

            foreach (HelpParameter parameter in doc.Parameters)
            {
                if (parameter.Description.Count == 0) throw Error(path, 1, $"-{parameter.Name} has no description.");
                if (parameter.Blocks.Count == 0) throw Error(path, 1, $"-{parameter.Name} has no yaml block.");
            }

            foreach (SyntaxSet set in doc.Syntax)
            {
                foreach (string name in set.ParameterNames)
                {
                    HelpParameter? parameter = doc.Parameter(name);
                    if (parameter is null) throw Error(path, 1, $"-{name} is in the syntax of {set.Name} but has no ### -{name} under ## PARAMETERS.");
                    if (parameter.For(set.Name) is null) throw Error(path, 1, $"-{name} is in the syntax of {set.Name}, but no yaml block of it lists that parameter set.");
                }
            }
        }

        /// <summary>The paragraphs of a block as plain text: a paragraph each, a list item each ("- " first), code as it is.</summary>
        private static IEnumerable<string> Paragraphs(Block block)
        {
            switch (block)
            {
                case ParagraphBlock paragraph:
                    yield return Text(paragraph.Inline);
                    break;
                case ListBlock list:
                    int number = 1;
                    foreach (Block item in list)
                    {
                        string marker = list.IsOrdered ? number++.ToString(CultureInfo.InvariantCulture) + ". " : "- ";
                        string text = string.Join(" ", ((ContainerBlock)item).SelectMany(Paragraphs));
                        yield return marker + text;
                    }

                    break;
                case CodeBlock code:
                    yield return Code(code);
                    break;
                case QuoteBlock quote:
                    foreach (Block inner in quote)
                    {
                        foreach (string text in Paragraphs(inner)) yield return text;
                    }

                    break;
                case ThematicBreakBlock:
                case LinkReferenceDefinitionGroup:
                    break;
                default:
                    throw new HelpFormatException($"line {block.Line + 1}: a {block.GetType().Name} has no place in cmdlet help.");
            }
        }

        private static string Code(LeafBlock code) => code.Lines.ToString().Replace("\r\n", "\n").TrimEnd('\n');

        /// <summary>Inline Markdown as the plain text Get-Help shows: code spans and link texts as written, soft breaks as spaces.</summary>
        private static string Text(ContainerInline? inline)
        {
            if (inline is null) return string.Empty;
            var builder = new StringBuilder();
            Append(builder, inline);
            return builder.ToString().Trim();
        }

        private static void Append(StringBuilder builder, Inline inline)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    builder.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    builder.Append(code.Content);
                    break;
                case LineBreakInline lineBreak:
                    builder.Append(lineBreak.IsHard ? "\n" : " ");
                    break;
                case HtmlEntityInline entity:
                    builder.Append(entity.Transcoded.ToString());
                    break;
                case AutolinkInline autolink:
                    builder.Append(autolink.Url);
                    break;
                case HtmlInline html:
                    // "<region>" in prose is a placeholder, not HTML: keep it as written.
                    builder.Append(html.Tag);
                    break;
                case ContainerInline container:
                    for (Inline? child = container.FirstChild; child is not null; child = child.NextSibling) Append(builder, child);
                    break;
                default:
                    throw new HelpFormatException($"line {inline.Line + 1}: a {inline.GetType().Name} has no place in cmdlet help.");
            }
        }

        private static HelpFormatException Error(string path, int line, string message) =>
            new($"{path}({line}): {message}");
    }

    /// <summary>A help page that does not follow the schema; the message names the file and line.</summary>
    internal sealed class HelpFormatException : Exception
    {
        public HelpFormatException(string message) : base(message)
        {
        }
    }
}
