using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using System.Text;

namespace CognitoDevice.Configuration
{
    /// <summary>
    /// What Tab offers for -Region and -ProfileName: region names from the partition table the module ships
    /// (<see cref="AwsPartition"/>), and profile names from the AWS shared config and credentials files.
    /// </summary>
    /// <remarks>
    /// Profile names are read from section headers only: each line is looked at, a header's name is kept, and
    /// nothing else of the files (keys, values, comments) is kept or returned. Reading never throws: a missing or
    /// unreadable file offers nothing.
    /// </remarks>
    internal static class CompletionCandidates
    {
        /// <summary>
        /// The region names that start with <paramref name="wordToComplete"/> (case-insensitive, quotes ignored), in
        /// ordinal order: every region the partition table lists, without the global pseudo-regions such as aws-global.
        /// </summary>
        public static IReadOnlyList<string> Regions(string? wordToComplete)
        {
            string prefix = Unquote(wordToComplete);
            return AwsPartition.All
                .SelectMany(p => p.Regions)
                .Where(r => !r.EndsWith("-global", StringComparison.Ordinal))
                .Where(r => r.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Distinct(StringComparer.Ordinal)
                .OrderBy(r => r, StringComparer.Ordinal)
                .ToArray();
        }

        /// <summary>
        /// The profile names that start with <paramref name="wordToComplete"/> (case-insensitive, quotes ignored), in
        /// ordinal order, from the config file (<c>[default]</c> and <c>[profile NAME]</c>) and the credentials file
        /// (<c>[NAME]</c>) that the AWS SDKs would read: <c>AWS_CONFIG_FILE</c> and <c>AWS_SHARED_CREDENTIALS_FILE</c>,
        /// else <c>{home}/.aws/config</c> and <c>{home}/.aws/credentials</c>.
        /// </summary>
        /// <param name="env">Returns an environment variable's value, or null.</param>
        /// <param name="homeDirectory">The user's home directory; when null or empty, HOME and then USERPROFILE.</param>
        /// <param name="wordToComplete">What the user typed so far.</param>
        public static IReadOnlyList<string> ProfileNames(Func<string, string?> env, string? homeDirectory, string? wordToComplete)
        {
            if (env == null) throw new ArgumentNullException(nameof(env));
            string prefix = Unquote(wordToComplete);
            string? home = FirstSet(homeDirectory, env("HOME"), env("USERPROFILE"));
            var names = new SortedSet<string>(StringComparer.Ordinal);
            AddNames(FilePath(env("AWS_CONFIG_FILE"), home, "config"), ConfigProfileName, names);
            AddNames(FilePath(env("AWS_SHARED_CREDENTIALS_FILE"), home, "credentials"), CredentialsProfileName, names);
            return names.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToArray();
        }

        /// <summary>The text Tab inserts: the name as it is, or single-quoted when PowerShell would split or expand it.</summary>
        public static string CompletionText(string value)
        {
            bool plain = value.Length > 0 && value.All(c => char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '/' || c == '+' || c == '@' || c == ':');
            return plain ? value : "'" + value.Replace("'", "''") + "'";
        }

        /// <summary>The profile a config file header names: <c>default</c>, or NAME of <c>profile NAME</c>; null for other sections.</summary>
        internal static string? ConfigProfileName(string header)
        {
            if (header == "default") return header;
            const string Profile = "profile";
            if (header.Length <= Profile.Length || !header.StartsWith(Profile, StringComparison.Ordinal) || !char.IsWhiteSpace(header[Profile.Length]))
            {
                return null;
            }

            // As AwsSharedConfig reads it: a name with white space must be quoted.
            string raw = header.Substring(Profile.Length).Trim();
            bool quoted = raw.Length >= 2 && (raw[0] == '"' || raw[0] == '\'') && raw[raw.Length - 1] == raw[0];
            string name = quoted ? raw.Substring(1, raw.Length - 2) : raw;
            return name.Length == 0 || (!quoted && name.Any(char.IsWhiteSpace)) ? null : name;
        }

        /// <summary>The profile a credentials file header names: the header itself.</summary>
        internal static string? CredentialsProfileName(string header) => header.Length == 0 ? null : header;

        private static void AddNames(string path, Func<string, string?> profileName, SortedSet<string> names)
        {
            if (path.Length == 0) return;
            try
            {
                using var reader = new StreamReader(path, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true);
                string? line;
                while ((line = reader.ReadLine()) != null)
                {
                    string? header = Header(line);
                    if (header is null) continue;
                    string? name = profileName(header);
                    if (name is not null) names.Add(name);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException
                                       || ex is NotSupportedException || ex is SecurityException)
            {
                // Completion offers what it can; a file that cannot be read offers nothing.
            }
        }

        // "[name]" possibly followed by a comment; null for any other line.
        private static string? Header(string line)
        {
            string trimmed = line.Trim().TrimStart('\uFEFF');
            if (trimmed.Length < 3 || trimmed[0] != '[') return null;
            int close = trimmed.IndexOf(']');
            if (close < 0) return null;
            string rest = trimmed.Substring(close + 1).Trim();
            if (rest.Length > 0 && rest[0] != '#' && rest[0] != ';') return null;
            string header = trimmed.Substring(1, close - 1).Trim();
            return header.Length == 0 ? null : header;
        }

        // The file the SDKs read, exactly as AwsSharedConfig finds it.
        private static string FilePath(string? fromEnvironment, string? home, string fileName) =>
            AwsSharedConfig.FilePath(fromEnvironment, home, fileName, string.Empty, new List<string>());

        private static string? FirstSet(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

        private static string Unquote(string? value)
        {
            string text = (value ?? string.Empty).Trim();
            if (text.Length > 0 && (text[0] == '\'' || text[0] == '"')) text = text.Substring(1);
            if (text.Length > 0 && (text[text.Length - 1] == '\'' || text[text.Length - 1] == '"')) text = text.Substring(0, text.Length - 1);
            return text;
        }
    }
}
