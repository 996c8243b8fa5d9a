using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using CognitoDevice.LocalEndpoint.Protocol;
using Xunit;

namespace CognitoDevice.LocalEndpoint.Tests
{
    /// <summary>The Java-regex subset matcher: Java semantics where they differ from .NET's.</summary>
    public sealed class JavaPatternTests
    {
        [Fact]
        public void Every_pattern_in_the_service_model_compiles()
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ServiceModel", "service-2.json")));
            string[] patterns = doc.RootElement.GetProperty("shapes").EnumerateObject()
                .Where(s => s.Value.TryGetProperty("pattern", out _))
                .Select(s => s.Value.GetProperty("pattern").GetString()!)
                .Distinct()
                .ToArray();
            Assert.True(patterns.Length > 30);
            foreach (string p in patterns) JavaPattern.Compile(p);
        }

        [Fact]
        public void Embedded_model_is_the_repository_model()
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ServiceModel", "service-2.json")));
            JsonElement shapes = doc.RootElement.GetProperty("shapes");
            foreach (string name in new[] { "DeviceKeyType", "UserPoolIdType", "UsernameType", "TokenModelType", "SearchPaginationTokenType", "QueryLimitType" })
            {
                ModelShape embedded = ServiceModel.Cognito.Shape(name);
                JsonElement s = shapes.GetProperty(name);
                Assert.Equal(s.TryGetProperty("pattern", out JsonElement p) ? p.GetString() : null, embedded.Pattern);
                Assert.Equal(s.TryGetProperty("max", out JsonElement max) ? max.GetInt64() : (long?)null, embedded.Max);
                Assert.Equal(s.TryGetProperty("min", out JsonElement min) ? min.GetInt64() : (long?)null, embedded.Min);
            }
        }

        [Theory]
        [InlineData(@"[\w-]+_[0-9a-f-]+", "us-east-1_0123abcd-ef", true)]
        [InlineData(@"[\w-]+_[0-9a-f-]+", "us-east-1_0123ABCD", false)]    // case-sensitive
        [InlineData(@"[\w-]+_[0-9a-f-]+", "é_abc", false)]                 // \w is ASCII
        [InlineData(@"[\w-]+_[0-9a-f-]+", "x_abc.", false)]                // full match
        [InlineData(@"[\w-]+_[0-9a-f-]+", "a_b_g", false)]                 // 'g' is not hex: backtracking cannot help
        [InlineData(@"[\w-]+_[0-9a-f-]+", "a_b_0", true)]                  // backtracks to the last '_'
        [InlineData(@"[A-Za-z0-9-_=.]+", "eyJ.a-b_c=", true)]              // '-' after a range is a literal
        [InlineData(@"[A-Za-z0-9-_=.]+", "a+b", false)]
        [InlineData(@"[A-Za-z0-9-_=.]+", "a/b", false)]
        [InlineData(@"[\S]+", "a\u00A0b", true)]                           // \s is ASCII whitespace only
        [InlineData(@"[\S]+", "a\tb", false)]
        [InlineData(@"[\S]+", "a\u000Bb", false)]                          // \x0B is whitespace in Java
        [InlineData(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", "😀😀", true)]         // surrogate pair = one code point (So)
        [InlineData(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", "𝔘ser", true)]        // supplementary letter
        [InlineData(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", "e\u0301", true)]     // combining mark
        [InlineData(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", "a b", false)]
        [InlineData(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", "a\u200Bb", false)]   // Cf is not in the set
        [InlineData(@"[\w-]+_[0-9a-zA-Z]+", "us-east-1_AbC09", true)]
        [InlineData(@"^[0-9A-Za-z\.\-_]*(?<!\.)$", "abc.def", true)]
        [InlineData(@"^[0-9A-Za-z\.\-_]*(?<!\.)$", "abc.", false)]
        [InlineData(@"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$", "a", true)]
        [InlineData(@"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$", "my-domain-1", true)]
        [InlineData(@"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$", "my-domain-", false)]
        [InlineData(@"(?s).*", "line1\nline2", true)]
        [InlineData(@".*", "line1\nline2", false)]
        [InlineData(@"[\x21\x23-\x5B\x5D-\x7E]+", "abc!#[]", true)]
        [InlineData(@"[\x21\x23-\x5B\x5D-\x7E]+", "a\"b", false)]
        [InlineData(@"^cognito:(default|dutch|english|chinese-(simplified|traditional))$", "cognito:chinese-traditional", true)]
        [InlineData(@"^cognito:(default|dutch|english|chinese-(simplified|traditional))$", "cognito:klingon", false)]
        [InlineData(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*", "Your code is {####} *", true)]
        [InlineData(@"[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+", "abcd", true)]
        [InlineData(@"[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+", "_bcd", false)]
        public void Java_semantics(string pattern, string input, bool expected)
        {
            Assert.Equal(expected, JavaPattern.Compile(pattern).IsFullMatch(input));
        }

        [Fact]
        public void Long_inputs_match_without_deep_recursion()
        {
            var token = JavaPattern.Compile("[A-Za-z0-9-_=.]+");
            string big = new string('a', 200_000);
            var sw = Stopwatch.StartNew();
            Assert.True(token.IsFullMatch(big));
            Assert.False(token.IsFullMatch(big + " "));
            Assert.True(sw.ElapsedMilliseconds < 2000);
        }

        [Theory]
        [InlineData("[abc")]
        [InlineData("(abc")]
        [InlineData("a{2,1}")]
        [InlineData("*a")]
        [InlineData(@"\p{Nope}")]
        public void Invalid_patterns_throw(string pattern)
        {
            Assert.Throws<FormatException>(() => JavaPattern.Compile(pattern));
        }

        [Fact]
        public void Lone_surrogates_are_one_code_point_of_category_Cs()
        {
            // Not an InlineData: xunit would replace the lone surrogate with U+FFFD.
            var username = JavaPattern.Compile(@"[\p{L}\p{M}\p{S}\p{N}\p{P}]+");
            Assert.False(username.IsFullMatch("a\uD800"));
            Assert.True(JavaPattern.Compile(@"\p{Cs}").IsFullMatch("\uDC00"));
            Assert.True(JavaPattern.Compile(@".").IsFullMatch("😀"));
        }

        [Fact]
        public void Code_points_count_surrogate_pairs_once()
        {
            Assert.Equal(3, CodePoints.Count("a😀b"));
            Assert.Equal(1, CodePoints.Count("\uD800"));
            Assert.Equal(new[] { 0x1F600 }, CodePoints.From("😀"));
        }
    }

    public sealed class TimestampFormatTests
    {
        [Theory]
        [InlineData(1700000000123L, false, "1700000000.123")]
        [InlineData(1700000000000L, false, "1700000000.000")]
        [InlineData(1700000000005L, false, "1700000000.005")]
        [InlineData(1700000000123L, true, "1.700000000123E9")]
        [InlineData(1700000000000L, true, "1.7E9")]
        [InlineData(1700000000100L, true, "1.7000000001E9")]
        [InlineData(999999999999L, true, "9.99999999999E8")]
        public void Formats(long epochMs, bool exponent, string expected)
        {
            DateTime t = DateTime.UnixEpoch.AddMilliseconds(epochMs);
            string text = AwsJson.FormatTimestamp(t, exponent);
            Assert.Equal(expected, text);
            Assert.Equal(epochMs / 1000.0, double.Parse(text, System.Globalization.CultureInfo.InvariantCulture), 3);
        }
    }
}
