using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using CognitoDevice.HelpBuilder;
using Xunit;

namespace CognitoDevice.Tests.Help
{
    /// <summary>tools/HelpBuilder: platyPS Markdown in, MAML out; a page that breaks the schema fails with its file and line.</summary>
    public sealed class HelpBuilderTests
    {
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        private const string Page = """
            ---
            external help file: X.dll-Help.xml
            online version: https://example.test/Get-Thing
            schema: 2.0.0
            ---

            # Get-Thing

            ## SYNOPSIS
            Gets things.

            ## SYNTAX

            ### ByName (Default)
            ```
            Get-Thing [-Name] <String[]> [-Force] [<CommonParameters>]
            ```

            ### ById
            ```
            Get-Thing -Id <Int32> [-Force] [<CommonParameters>]
            ```

            ## DESCRIPTION
            Gets the things named by `-Name`, from
            <region> and *elsewhere*.

            - one item
            - another

            ## EXAMPLES

            ### Example 1: By name
            ```powershell
            Get-Thing -Name a |
                Select-Object -First 1
            ```

            This gets the thing a.

            ## PARAMETERS

            ### -Name
            The names.

            ```yaml
            Type: String[]
            Parameter Sets: ByName
            Aliases: n, nm

            Required: True
            Position: 0
            Default value: None
            Accept pipeline input: True (ByPropertyName, ByValue)
            Accept wildcard characters: False
            ```

            ### -Id
            The id.

            ```yaml
            Type: Int32
            Parameter Sets: ById
            Aliases:

            Required: True
            Position: Named
            Default value: None
            Accept pipeline input: False
            Accept wildcard characters: False
            ```

            ### -Force
            Forces it.

            ```yaml
            Type: SwitchParameter
            Parameter Sets: (All)
            Aliases:

            Required: False
            Position: Named
            Default value: False
            Accept pipeline input: False
            Accept wildcard characters: False
            ```

            ### CommonParameters
            This cmdlet supports the common parameters.

            ## INPUTS

            ### System.String[]
            Names.

            ## OUTPUTS

            ### Thing
            A thing.

            ## NOTES
            A note.

            ## RELATED LINKS

            [Set-Thing](Set-Thing.md)

            [Online docs](https://example.test/docs)
            """;

        private static XElement Build(string text = Page) =>
            MamlWriter.Write(new[] { MarkdownHelpReader.Read("Get-Thing.md", text) }).Root!.Element(Command + "command")!;

        private static string Paras(XElement? parent) =>
            string.Join("|", parent!.Elements(Maml + "para").Select(p => p.Value));

        [Fact]
        public void Details_synopsis_and_description_as_plain_text()
        {
            XElement command = Build();
            XElement details = command.Element(Command + "details")!;
            Assert.Equal("Get-Thing", details.Element(Command + "name")!.Value);
            Assert.Equal("Get", details.Element(Command + "verb")!.Value);
            Assert.Equal("Thing", details.Element(Command + "noun")!.Value);
            Assert.Equal("Gets things.", Paras(details.Element(Maml + "description")));
            Assert.Equal("Gets the things named by -Name, from <region> and elsewhere.|- one item|- another", Paras(command.Element(Maml + "description")));
        }

        [Fact]
        public void Syntax_has_one_item_per_set_with_the_parameters_of_that_set_in_order()
        {
            var items = Build().Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
            Assert.Equal(2, items.Count);
            Assert.Equal(new[] { "Name", "Force" }, items[0].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
            Assert.Equal(new[] { "Id", "Force" }, items[1].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
        }

        [Fact]
        public void Parameters_carry_their_attributes_and_switches_have_no_value()
        {
            var parameters = Build().Element(Command + "parameters")!.Elements(Command + "parameter").ToDictionary(p => p.Element(Maml + "name")!.Value);
            XElement name = parameters["Name"];
            Assert.Equal("true", name.Attribute("required")!.Value);
            Assert.Equal("0", name.Attribute("position")!.Value);
            Assert.Equal("True (ByPropertyName, ByValue)", name.Attribute("pipelineInput")!.Value);
            Assert.Equal("n, nm", name.Attribute("aliases")!.Value);
            Assert.Equal("String[]", name.Element(Command + "parameterValue")!.Value);
            Assert.Equal("The names.", Paras(name.Element(Maml + "description")));
            Assert.Equal("named", parameters["Id"].Attribute("position")!.Value);
            Assert.Equal("none", parameters["Id"].Attribute("aliases")!.Value);
            Assert.Null(parameters["Force"].Element(Command + "parameterValue"));
            Assert.Equal("False", parameters["Force"].Element(Dev + "defaultValue")!.Value);
        }

        [Fact]
        public void Examples_inputs_outputs_notes_and_links()
        {
            XElement command = Build();
            XElement example = command.Element(Command + "examples")!.Element(Command + "example")!;
            Assert.Contains("Example 1: By name", example.Element(Maml + "title")!.Value);
            Assert.Equal("Get-Thing -Name a |\n    Select-Object -First 1", example.Element(Dev + "code")!.Value);
            Assert.Equal("This gets the thing a.", Paras(example.Element(Dev + "remarks")));
            Assert.Equal("System.String[]", command.Descendants(Command + "inputType").Single().Element(Dev + "type")!.Element(Maml + "name")!.Value);
            Assert.Equal("Thing", command.Descendants(Command + "returnValue").Single().Element(Dev + "type")!.Element(Maml + "name")!.Value);
            Assert.Equal("A note.", Paras(command.Element(Maml + "alertSet")!.Element(Maml + "alert")));
            var links = command.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink")
                .Select(l => l.Element(Maml + "linkText")!.Value + "=" + l.Element(Maml + "uri")!.Value).ToArray();
            Assert.Equal(new[] { "Online Version:=https://example.test/Get-Thing", "Set-Thing=", "Online docs=https://example.test/docs" }, links);
        }

        [Theory]
        [InlineData("## NOTES\nA note.\n\n", "", "'## NOTES' is missing")]
        [InlineData("This gets the thing a.", "", "has no sentence after its code")]
        [InlineData("The names.\n", "", "-Name has no description")]
        [InlineData("### -Id\nThe id.", "### -Identity\nThe id.", "-Id is in the syntax of ById but has no ### -Id")]
        [InlineData("Parameter Sets: ById", "Parameter Sets: ByName", "no yaml block of it lists that parameter set")]
        [InlineData("Required: True\nPosition: Named", "Required: Maybe\nPosition: Named", "'Maybe' is not True or False")]
        [InlineData("## NOTES", "## REMARKS", "'## REMARKS' is not a section of the platyPS schema")]
        [InlineData("### Example 1: By name", "### First example", "examples are titled 'Example N: <title>'")]
        public void A_page_that_breaks_the_schema_fails_with_a_clear_message(string find, string replace, string expected)
        {
            Assert.Contains(find, Page);
            var ex = Assert.Throws<HelpFormatException>(() => MarkdownHelpReader.Read("Get-Thing.md", Page.Replace(find, replace)));
            Assert.Contains(expected, ex.Message);
            Assert.StartsWith("Get-Thing.md(", ex.Message);
        }

        [Fact]
        public void The_module_help_pages_build()
        {
            string docs = Path.Combine(TestPaths.RepoRoot, "docs", "en-US");
            var pages = Directory.GetFiles(docs, "*-*.md").Select(p => MarkdownHelpReader.Read(p, File.ReadAllText(p))).ToList();
            Assert.Equal(new[] { "Get-CognitoDevice", "Remove-CognitoDevice", "Set-CognitoDevice" }, pages.Select(p => p.Name).OrderBy(n => n));
            Assert.All(pages, p => Assert.True(p.Examples.Count >= 3, p.Name + " has fewer than 3 examples"));
        }
    }
}
