using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security;
using System.Text;

namespace CognitoDevice.Configuration
{
    /// <summary>
    /// One profile of the AWS shared config file (<c>~/.aws/config</c>) and shared credentials file
    /// (<c>~/.aws/credentials</c>), read the way the AWS CLI and SDKs read them.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Files: <c>AWS_CONFIG_FILE</c>, else <c>{home}/.aws/config</c>; <c>AWS_SHARED_CREDENTIALS_FILE</c>, else
    /// <c>{home}/.aws/credentials</c> (a leading <c>~</c> in either variable is the home directory). A missing
    /// file reads as empty; so does one that cannot be read, with a message in <see cref="Warnings"/>. Loading
    /// never throws for the files' sake.
    /// </para>
    /// <para>
    /// Profile: an explicit name, else <c>AWS_PROFILE</c>, else <c>AWS_DEFAULT_PROFILE</c>, else <c>default</c>.
    /// In the config file a profile is the section <c>[profile NAME]</c>, and the default profile is
    /// <c>[default]</c> or <c>[profile default]</c>; when both are present <c>[profile default]</c> is used and
    /// <c>[default]</c> is ignored, wherever each stands. Other sections (<c>[NAME]</c>, <c>[sso-session NAME]</c>,
    /// <c>[services NAME]</c>, ...) are not profiles. In the credentials file a profile is the section <c>[NAME]</c>.
    /// </para>
    /// <para>
    /// Format: lines whose first non-blank character is <c>#</c> or <c>;</c> are comments; <c>key = value</c>
    /// (or <c>key=value</c>, or <c>key: value</c>) with white space trimmed; a <c>#</c> or <c>;</c> that follows
    /// white space starts a comment on a key line, and anything after <c>]</c> on a section line must be such a
    /// comment. Section names are case-sensitive, keys are not. A key set twice in a profile (also across
    /// repeated sections of the same profile) keeps its last value. A line indented deeper than the key line
    /// before it continues that key: when the key's own value is empty the indented lines are a nested
    /// sub-section (such as <c>s3 =</c> followed by <c>  max_concurrent_requests = 10</c>), which is skipped and
    /// makes the key read as absent; otherwise each indented line is appended to the value after a newline.
    /// CRLF, CR and LF line ends and a byte order mark are accepted. A line that is none of these is skipped
    /// with a message in <see cref="Warnings"/>; messages name files, lines, sections and keys, never values.
    /// </para>
    /// </remarks>
    internal sealed class AwsSharedConfig
    {
        private const string DefaultProfileName = "default";

        // Section keys in the parsed config file: a profile section, and the plain [default] section.
        private const string ProfileSectionPrefix = "profile:";
        private const string PlainDefaultSection = "[default]";

        private readonly Dictionary<string, string?>? _configProfile;
        private readonly Dictionary<string, string?>? _credentialsProfile;

        private AwsSharedConfig(
            string profileName,
            string configFilePath,
            string credentialsFilePath,
            Dictionary<string, string?>? configProfile,
            Dictionary<string, string?>? credentialsProfile,
            List<string> warnings)
        {
            ProfileName = profileName;
            ConfigFilePath = configFilePath;
            CredentialsFilePath = credentialsFilePath;
            _configProfile = configProfile;
            _credentialsProfile = credentialsProfile;
            Warnings = warnings.AsReadOnly();
        }

        /// <summary>
        /// The profile in use: the explicit name given to <see cref="Load(Func{string, string}, string, string)"/>,
        /// else <c>AWS_PROFILE</c>, else <c>AWS_DEFAULT_PROFILE</c>, else <c>default</c> (blank values count as unset).
        /// </summary>
        public string ProfileName { get; }

        /// <summary>The config file read: <c>AWS_CONFIG_FILE</c>, else <c>{home}/.aws/config</c>; empty when no home directory is known.</summary>
        public string ConfigFilePath { get; }

        /// <summary>The credentials file read: <c>AWS_SHARED_CREDENTIALS_FILE</c>, else <c>{home}/.aws/credentials</c>; empty when no home directory is known.</summary>
        public string CredentialsFilePath { get; }

        /// <summary>Whether the profile has a section in the config file or the credentials file (an empty section counts).</summary>
        public bool ProfileExists => _configProfile != null || _credentialsProfile != null;

        /// <summary>What could not be read or understood, one message each: files, line numbers, sections and keys, never values.</summary>
        public IReadOnlyList<string> Warnings { get; }

        /// <summary>
        /// Reads the files for the profile named by the environment.
        /// </summary>
        /// <param name="env">Returns an environment variable's value, or null when it is not set.</param>
        /// <param name="homeDirectory">The user's home directory; when null or empty, <c>HOME</c> and then <c>USERPROFILE</c> from <paramref name="env"/>.</param>
        /// <returns>The profile's settings.</returns>
        public static AwsSharedConfig Load(Func<string, string?> env, string? homeDirectory)
        {
            return Load(env, homeDirectory, null);
        }

        /// <summary>
        /// Reads the files for the explicit profile, or the one the environment names when it is null or blank.
        /// </summary>
        /// <param name="env">Returns an environment variable's value, or null when it is not set.</param>
        /// <param name="homeDirectory">The user's home directory; when null or empty, <c>HOME</c> and then <c>USERPROFILE</c> from <paramref name="env"/>.</param>
        /// <param name="explicitProfile">A profile name that wins over the environment, or null.</param>
        /// <returns>The profile's settings.</returns>
        public static AwsSharedConfig Load(Func<string, string?> env, string? homeDirectory, string? explicitProfile)
        {
            if (env == null)
            {
                throw new ArgumentNullException(nameof(env));
            }

            var warnings = new List<string>();
            string profileName = FirstSet(explicitProfile, env("AWS_PROFILE"), env("AWS_DEFAULT_PROFILE")) ?? DefaultProfileName;
            string? home = FirstSet(homeDirectory, env("HOME"), env("USERPROFILE"));

            string configPath = FilePath(env("AWS_CONFIG_FILE"), home, "config", "AWS_CONFIG_FILE", warnings);
            string credentialsPath = FilePath(env("AWS_SHARED_CREDENTIALS_FILE"), home, "credentials", "AWS_SHARED_CREDENTIALS_FILE", warnings);

            Dictionary<string, Dictionary<string, string?>> config =
                ReadFile(configPath, ConfigSectionKey, warnings);
            Dictionary<string, Dictionary<string, string?>> credentials =
                ReadFile(credentialsPath, CredentialsSectionKey, warnings);

            if (config.ContainsKey(ProfileSectionPrefix + DefaultProfileName) && config.ContainsKey(PlainDefaultSection))
            {
                warnings.Add(string.Format(
                    CultureInfo.InvariantCulture,
                    "{0}: [default] is ignored because [profile default] is also present.",
                    configPath));
            }

            config.TryGetValue(ProfileSectionPrefix + profileName, out Dictionary<string, string?>? configProfile);
            if (configProfile == null && profileName == DefaultProfileName)
            {
                config.TryGetValue(PlainDefaultSection, out configProfile);
            }

            credentials.TryGetValue(profileName, out Dictionary<string, string?>? credentialsProfile);

            return new AwsSharedConfig(profileName, configPath, credentialsPath, configProfile, credentialsProfile, warnings);
        }

        /// <summary>
        /// A setting of the profile in the config file, such as <c>region</c>; the key is case-insensitive.
        /// </summary>
        /// <param name="key">The setting's name.</param>
        /// <returns>
        /// The trimmed value (empty when the line has no value), or null when the profile or the key is absent
        /// or the key heads a nested sub-section.
        /// </returns>
        public string? GetConfigValue(string key)
        {
            return Get(_configProfile, key);
        }

        /// <summary>
        /// A setting of the profile in the credentials file, such as <c>aws_access_key_id</c>; the key is case-insensitive.
        /// </summary>
        /// <param name="key">The setting's name.</param>
        /// <returns>
        /// The trimmed value (empty when the line has no value), or null when the profile or the key is absent
        /// or the key heads a nested sub-section.
        /// </returns>
        public string? GetCredentialsValue(string key)
        {
            return Get(_credentialsProfile, key);
        }

        private static string? Get(Dictionary<string, string?>? profile, string key)
        {
            if (key == null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            if (profile == null)
            {
                return null;
            }

            return profile.TryGetValue(key.Trim(), out string? value) ? value : null;
        }

        private static string? FirstSet(params string?[] values)
        {
            foreach (string? value in values)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    return value!.Trim();
                }
            }

            return null;
        }

        internal static string FilePath(string? fromEnvironment, string? home, string fileName, string variable, List<string> warnings)
        {
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                string path = fromEnvironment!.Trim();
                bool tilde = path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal);
                if (tilde && home != null)
                {
                    path = path.Length == 1 ? home : Path.Combine(home, path.Substring(2));
                }

                return path;
            }

            if (home == null)
            {
                warnings.Add(string.Format(
                    CultureInfo.InvariantCulture,
                    "The home directory is not known, so the AWS {0} file is not read; set {1} to its path.",
                    fileName,
                    variable));
                return string.Empty;
            }

            return Path.Combine(Path.Combine(home, ".aws"), fileName);
        }

        private static Dictionary<string, Dictionary<string, string?>> ReadFile(
            string path,
            Func<string, string, int, List<string>, string?> sectionKey,
            List<string> warnings)
        {
            string? text = ReadText(path, warnings);
            return text == null
                ? new Dictionary<string, Dictionary<string, string?>>(StringComparer.Ordinal)
                : Parse(text, path, sectionKey, warnings);
        }

        private static string? ReadText(string path, List<string> warnings)
        {
            if (path.Length == 0)
            {
                return null;
            }

            try
            {
                // UTF-8 unless a byte order mark says otherwise; invalid bytes become U+FFFD rather than failing.
                using (var reader = new StreamReader(path, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true))
                {
                    return reader.ReadToEnd();
                }
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException
                                       || ex is NotSupportedException || ex is SecurityException)
            {
                warnings.Add(string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} could not be read, so it is treated as empty: {1}",
                    path,
                    ex.Message));
                return null;
            }
        }

        // The section key of a config file header, or null for a section that is not a profile.
        private static string? ConfigSectionKey(string header, string path, int lineNumber, List<string> warnings)
        {
            if (header == DefaultProfileName)
            {
                return PlainDefaultSection;
            }

            const string Profile = "profile";
            if (!header.StartsWith(Profile, StringComparison.Ordinal))
            {
                return null;
            }

            if (header.Length == Profile.Length || !char.IsWhiteSpace(header[Profile.Length]))
            {
                // [profile] or [profileX]: botocore ignores these too.
                warnings.Add(string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} line {1}: [{2}] is not a profile section and is ignored; write [profile NAME].",
                    path,
                    lineNumber,
                    header));
                return null;
            }

            string name = Unquote(header.Substring(Profile.Length).Trim());
            if (name.Length == 0 || (ContainsWhiteSpace(name) && !IsQuoted(header.Substring(Profile.Length).Trim())))
            {
                warnings.Add(string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} line {1}: [{2}] has no valid profile name (a name with spaces must be quoted) and is ignored.",
                    path,
                    lineNumber,
                    header));
                return null;
            }

            return ProfileSectionPrefix + name;
        }

        // The section key of a credentials file header: the name itself.
        private static string? CredentialsSectionKey(string header, string path, int lineNumber, List<string> warnings)
        {
            if (header.StartsWith("profile ", StringComparison.Ordinal) || header.StartsWith("profile\t", StringComparison.Ordinal))
            {
                warnings.Add(string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} line {1}: the credentials file names profiles without the word 'profile', so [{2}] is the profile '{2}'.",
                    path,
                    lineNumber,
                    header));
            }

            return header;
        }

        private static bool IsQuoted(string value)
        {
            return value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[value.Length - 1] == value[0];
        }

        private static string Unquote(string value)
        {
            return IsQuoted(value) ? value.Substring(1, value.Length - 2) : value;
        }

        private static bool ContainsWhiteSpace(string value)
        {
            foreach (char c in value)
            {
                if (char.IsWhiteSpace(c))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Parses INI text into sections (by the key that <paramref name="sectionKey"/> gives a header; sections
        /// with a null key are read but dropped) of case-insensitive keys. A null value marks a key that heads a
        /// nested sub-section.
        /// </summary>
        private static Dictionary<string, Dictionary<string, string?>> Parse(
            string text,
            string path,
            Func<string, string, int, List<string>, string?> sectionKey,
            List<string> warnings)
        {
            var sections = new Dictionary<string, Dictionary<string, string?>>(StringComparer.Ordinal);

            // The section being read: null before the first header and in a dropped or malformed section.
            Dictionary<string, string?>? section = null;
            string? sectionHeader = null;
            bool inAnySection = false;

            // The key line that indented lines continue, and its indentation.
            Dictionary<string, string?>? keyOwner = null;
            string? key = null;
            int keyIndent = 0;
            bool keyHasValue = false;

            int lineNumber = 0;
            using (var reader = new StringReader(text))
            {
                string? raw;
                while ((raw = reader.ReadLine()) != null)
                {
                    lineNumber++;
                    if (lineNumber == 1 && raw.Length > 0 && raw[0] == '\uFEFF')
                    {
                        raw = raw.Substring(1);
                    }

                    string line = raw.Trim();
                    if (line.Length == 0 || line[0] == '#' || line[0] == ';')
                    {
                        // Blank lines and comments neither end nor belong to a continuation.
                        continue;
                    }

                    int indent = LeadingWhiteSpace(raw);
                    if (key != null && indent > keyIndent)
                    {
                        if (keyOwner != null)
                        {
                            // A sub-section under an empty key is skipped; the key reads as absent.
                            keyOwner[key] = keyHasValue ? keyOwner[key] + "\n" + line : null;
                        }

                        continue;
                    }

                    key = null;
                    keyOwner = null;

                    if (line[0] == '[')
                    {
                        inAnySection = true;
                        section = null;
                        sectionHeader = null;

                        int close = line.IndexOf(']');
                        string rest = close < 0 ? string.Empty : line.Substring(close + 1).Trim();
                        string header = close < 0 ? string.Empty : line.Substring(1, close - 1).Trim();
                        if (close < 0 || header.Length == 0 || (rest.Length > 0 && rest[0] != '#' && rest[0] != ';'))
                        {
                            warnings.Add(string.Format(
                                CultureInfo.InvariantCulture,
                                "{0} line {1}: not a valid section header; the lines up to the next section are ignored.",
                                path,
                                lineNumber));
                            continue;
                        }

                        string? id = sectionKey(header, path, lineNumber, warnings);
                        if (id != null)
                        {
                            if (!sections.TryGetValue(id, out section))
                            {
                                section = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                                sections.Add(id, section);
                            }

                            sectionHeader = header;
                        }

                        continue;
                    }

                    string content = StripInlineComment(line);
                    int delimiter = content.IndexOfAny(new[] { '=', ':' });
                    string name = delimiter < 0 ? string.Empty : content.Substring(0, delimiter).Trim();
                    if (name.Length == 0)
                    {
                        if (!inAnySection)
                        {
                            warnings.Add(string.Format(
                                CultureInfo.InvariantCulture,
                                "{0} line {1}: not inside a [section]; ignored.",
                                path,
                                lineNumber));
                        }
                        else if (section != null)
                        {
                            warnings.Add(string.Format(
                                CultureInfo.InvariantCulture,
                                "{0} line {1}: expected 'key = value' in [{2}]; ignored.",
                                path,
                                lineNumber,
                                sectionHeader));
                        }

                        continue;
                    }

                    if (!inAnySection)
                    {
                        warnings.Add(string.Format(
                            CultureInfo.InvariantCulture,
                            "{0} line {1}: not inside a [section]; ignored.",
                            path,
                            lineNumber));
                    }

                    string value = content.Substring(delimiter + 1).Trim();
                    name = name.ToLowerInvariant();
                    if (section != null && section.ContainsKey(name))
                    {
                        warnings.Add(string.Format(
                            CultureInfo.InvariantCulture,
                            "{0} line {1}: '{2}' is set again in [{3}]; the later value is used.",
                            path,
                            lineNumber,
                            name,
                            sectionHeader));
                    }

                    if (section != null)
                    {
                        section[name] = value;
                    }

                    // Track the key even in a dropped section, so that its indented lines are skipped with it.
                    keyOwner = section;
                    key = name;
                    keyIndent = indent;
                    keyHasValue = value.Length > 0;
                }
            }

            return sections;
        }

        private static int LeadingWhiteSpace(string line)
        {
            int i = 0;
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            return i;
        }

        // A '#' or ';' that follows white space starts a comment; one inside a value ("a#b", "http://h/#x") does not.
        private static string StripInlineComment(string line)
        {
            for (int i = 1; i < line.Length; i++)
            {
                if ((line[i] == '#' || line[i] == ';') && (line[i - 1] == ' ' || line[i - 1] == '\t'))
                {
                    return line.Substring(0, i).TrimEnd();
                }
            }

            return line;
        }
    }

    /// <summary>
    /// Parses the boolean settings of the AWS config file and environment, such as <c>use_fips_endpoint</c>
    /// and <c>AWS_USE_DUALSTACK_ENDPOINT</c>.
    /// </summary>
    internal static class AwsBool
    {
        /// <summary>
        /// <c>true</c> or <c>false</c> in any letter case (surrounding white space ignored) as a bool; anything else,
        /// including null and empty, as null.
        /// </summary>
        /// <param name="value">The setting's value.</param>
        /// <returns>The bool, or null when the value is not a boolean.</returns>
        public static bool? Parse(string? value)
        {
            if (value == null)
            {
                return null;
            }

            string trimmed = value.Trim();
            if (string.Equals(trimmed, "true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (string.Equals(trimmed, "false", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            return null;
        }
    }
}
