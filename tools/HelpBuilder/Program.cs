using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace CognitoDevice.HelpBuilder
{
    /// <summary>
    /// dotnet HelpBuilder.dll &lt;docs folder&gt; &lt;output MAML file&gt;: every *.md in the folder whose name is
    /// Verb-Noun.md becomes one command in the MAML file. Exit code 1 with a file(line): message when a page does
    /// not follow the platyPS schema.
    /// </summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length != 2)
            {
                Console.Error.WriteLine("Usage: HelpBuilder <docs folder (docs/en-US)> <output file (en-US/CognitoDevice.dll-Help.xml)>");
                return 2;
            }

            string folder = args[0];
            string output = args[1];
            try
            {
                var docs = Directory.GetFiles(folder, "*-*.md")
                    .OrderBy(p => p, StringComparer.Ordinal)
                    .Select(p => MarkdownHelpReader.Read(p, File.ReadAllText(p, Encoding.UTF8)))
                    .ToList();
                if (docs.Count == 0)
                {
                    Console.Error.WriteLine($"error: no Verb-Noun.md help page in '{folder}'.");
                    return 1;
                }

                foreach (HelpDocument doc in docs)
                {
                    if (!string.Equals(Path.GetFileNameWithoutExtension(doc.Path), doc.Name, StringComparison.Ordinal))
                    {
                        throw new HelpFormatException($"{doc.Path}(1): the page is '# {doc.Name}' but the file name says otherwise.");
                    }
                }

                XDocument maml = MamlWriter.Write(docs);
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
                var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
                using (XmlWriter writer = XmlWriter.Create(output, settings))
                {
                    maml.Save(writer);
                }

                Console.WriteLine($"HelpBuilder: {docs.Count} commands ({string.Join(", ", docs.Select(d => d.Name))}) -> {output}");
                return 0;
            }
            catch (HelpFormatException ex)
            {
                Console.Error.WriteLine("error: " + ex.Message);
                return 1;
            }
        }
    }
}
