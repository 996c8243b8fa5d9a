using System;
using System.Globalization;
using System.IO;

namespace CognitoDevice.Auth
{
    /// <summary>The places Admin credentials come from, in the order <see cref="CredentialSource.Select"/> tries them.</summary>
    internal enum CredentialSourceKind
    {
        /// <summary>A named profile given with -ProfileName.</summary>
        ProfileParameter,

        /// <summary>AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN).</summary>
        EnvironmentKeys,

        /// <summary>AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN (and AWS_ROLE_SESSION_NAME).</summary>
        WebIdentityEnvironment,

        /// <summary>The profile named by AWS_PROFILE.</summary>
        EnvironmentProfile,

        /// <summary>The profile [default], when the shared files have one.</summary>
        DefaultProfile,

        /// <summary>AWS_CONTAINER_CREDENTIALS_FULL_URI or AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.</summary>
        Container,

        /// <summary>EC2 instance metadata (never when AWS_EC2_METADATA_DISABLED=true).</summary>
        InstanceMetadata,

        /// <summary>Nothing is configured.</summary>
        None,
    }

    /// <summary>
    /// Which credential source an Admin call uses, chosen from -ProfileName and the environment in the order of
    /// AWSSDK.Core's default chain, and the key under which its resolved credential is kept for the module's life.
    /// Plain code: the environment and the profile lookup are passed in.
    /// </summary>
    internal sealed class CredentialSource
    {
        public const string DefaultProfileName = "default";

        private CredentialSource(CredentialSourceKind kind, string? profileName, string description, string cacheKey)
        {
            Kind = kind;
            ProfileName = profileName;
            Description = description;
            CacheKey = cacheKey;
        }

        public CredentialSourceKind Kind { get; }

        /// <summary>The profile, for the three profile kinds.</summary>
        public string? ProfileName { get; }

        /// <summary>What a person reads in an error: "profile 'admin' (-ProfileName)". Never a secret.</summary>
        public string Description { get; }

        /// <summary>The cache key: the source and the files or variables that define it, never a secret value.</summary>
        public string CacheKey { get; }

        public bool IsProfile => Kind == CredentialSourceKind.ProfileParameter || Kind == CredentialSourceKind.EnvironmentProfile || Kind == CredentialSourceKind.DefaultProfile;

        /// <summary>Static keys from the environment are cheap to read and may change between calls: they are not cached.</summary>
        public bool Cacheable => Kind != CredentialSourceKind.EnvironmentKeys && Kind != CredentialSourceKind.None;

        /// <summary>The order the chain tries, as the README lists it.</summary>
        public const string ChainDescription =
            "-ProfileName, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, AWS_PROFILE, the [default] profile, " +
            "AWS_CONTAINER_CREDENTIALS_FULL_URI/RELATIVE_URI, EC2 instance metadata (unless AWS_EC2_METADATA_DISABLED=true)";

        /// <summary>
        /// Chooses the source. <paramref name="profileExists"/> answers whether the shared config or credentials file
        /// has a profile of that name; <paramref name="fileStamp"/> gives a file's identity for the cache key (its last
        /// write time), so editing the config or credentials file resolves afresh.
        /// </summary>
        public static CredentialSource Select(string? profileParameter, Func<string, string?> environment, Func<string, bool> profileExists,
            Func<string, string>? fileStamp = null, string? home = null)
        {
            if (environment is null) throw new ArgumentNullException(nameof(environment));
            if (profileExists is null) throw new ArgumentNullException(nameof(profileExists));
            fileStamp ??= DefaultFileStamp;
            home ??= Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

            string Files() =>
                fileStamp(Value(environment, "AWS_CONFIG_FILE") ?? Path.Combine(home, ".aws", "config")) + "\n" +
                fileStamp(Value(environment, "AWS_SHARED_CREDENTIALS_FILE") ?? Path.Combine(home, ".aws", "credentials"));

            if (!string.IsNullOrEmpty(profileParameter))
            {
                return Profile(CredentialSourceKind.ProfileParameter, profileParameter!, "profile '" + profileParameter + "' (-ProfileName)", Files());
            }
            if (Value(environment, "AWS_ACCESS_KEY_ID") is not null && Value(environment, "AWS_SECRET_ACCESS_KEY") is not null)
            {
                return new CredentialSource(CredentialSourceKind.EnvironmentKeys, null,
                    "the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", "env-keys");
            }
            string? tokenFile = Value(environment, "AWS_WEB_IDENTITY_TOKEN_FILE");
            string? roleArn = Value(environment, "AWS_ROLE_ARN");
            if (tokenFile is not null && roleArn is not null)
            {
                return new CredentialSource(CredentialSourceKind.WebIdentityEnvironment, null,
                    "web identity (AWS_ROLE_ARN '" + roleArn + "' with AWS_WEB_IDENTITY_TOKEN_FILE)",
                    "web-identity\n" + roleArn + "\n" + tokenFile + "\n" + Value(environment, "AWS_ROLE_SESSION_NAME"));
            }
            string? envProfile = Value(environment, "AWS_PROFILE");
            if (envProfile is not null)
            {
                return Profile(CredentialSourceKind.EnvironmentProfile, envProfile, "profile '" + envProfile + "' (AWS_PROFILE)", Files());
            }
            if (profileExists(DefaultProfileName))
            {
                return Profile(CredentialSourceKind.DefaultProfile, DefaultProfileName, "profile 'default'", Files());
            }
            string? fullUri = Value(environment, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
            string? relativeUri = Value(environment, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
            if (fullUri is not null || relativeUri is not null)
            {
                string name = relativeUri is not null ? "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" : "AWS_CONTAINER_CREDENTIALS_FULL_URI";
                return new CredentialSource(CredentialSourceKind.Container, null, "container credentials (" + name + ")",
                    "container\n" + relativeUri + "\n" + fullUri);
            }
            if (!string.Equals(Value(environment, "AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
            {
                return new CredentialSource(CredentialSourceKind.InstanceMetadata, null, "EC2 instance metadata", "imds");
            }
            return new CredentialSource(CredentialSourceKind.None, null, "no credential source", "none");
        }

        private static CredentialSource Profile(CredentialSourceKind kind, string name, string description, string files) =>
            new CredentialSource(kind, name, description, "profile\n" + name + "\n" + files);

        private static string? Value(Func<string, string?> environment, string name)
        {
            string? value = environment(name);
            return string.IsNullOrWhiteSpace(value) ? null : value;
        }

        private static string DefaultFileStamp(string path)
        {
            try
            {
                var info = new FileInfo(path);
                return path + "@" + (info.Exists ? info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture) + "/" + info.Length.ToString(CultureInfo.InvariantCulture) : "-");
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException || ex is System.Security.SecurityException)
            {
                return path + "@?";
            }
        }
    }
}
