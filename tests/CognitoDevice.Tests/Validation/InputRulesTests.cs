using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using CognitoDevice.Validation;
using Xunit;

namespace CognitoDevice.Tests.Validation
{
    public class InputRulesTests
    {
        private const string Key36 = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";

        [Theory]
        [InlineData("us-east-1_" + Key36, true)]
        [InlineData("a_0", true)]
        [InlineData("A-b_9_f-", true)]                       // [\w-]+ is greedy but backtracks: "A-b_9" + "_" + "f-"
        [InlineData("us-east-1_ABCDEF", false)]               // uppercase hex: the service is case-sensitive
        [InlineData("us-east-1_" + Key36 + "\n", false)]      // a trailing newline ($ would accept it)
        [InlineData("\nus-east-1_" + Key36, false)]
        [InlineData("us-east-1_xyz", false)]                  // not hex
        [InlineData("us-east-1" + Key36, false)]              // no underscore
        [InlineData("_0a", false)]                            // empty prefix
        [InlineData("us-east-1_", false)]                     // empty suffix
        [InlineData("us east-1_0a", false)]                   // white space
        [InlineData("us-éast-1_0a", false)]                   // non-ASCII letter: \w is ASCII in Java
        [InlineData("us-east-١_0a", false)]                   // Arabic-Indic digit
        [InlineData("x us-east-1_0a", false)]                 // a substring match is not enough
        [InlineData("", false)]
        public void DeviceKey_matches_the_service_pattern(string value, bool valid) => Assert.Equal(valid, InputRules.IsDeviceKey(value));

        [Fact]
        public void DeviceKey_length_is_1_to_55()
        {
            string key55 = "a_" + new string('0', 53);
            string key56 = "a_" + new string('0', 54);
            Assert.Equal(55, key55.Length);
            Assert.True(InputRules.IsDeviceKey(key55));
            Assert.False(InputRules.IsDeviceKey(key56));
        }

        [Theory]
        [InlineData("us-east-1_AbCdEf123", true)]
        [InlineData("eu-west-2_a", true)]
        [InlineData("us-east-1_AbC-dEf", false)]              // the suffix is alphanumeric only
        [InlineData("us-east-1_AbCdEf\n", false)]
        [InlineData("us-east-1_ÄbC", false)]
        [InlineData("us-east-1", false)]
        [InlineData("", false)]
        public void UserPoolId_matches_the_service_pattern(string value, bool valid) => Assert.Equal(valid, InputRules.IsUserPoolId(value));

        [Fact]
        public void UserPoolId_length_is_1_to_55()
        {
            Assert.True(InputRules.IsUserPoolId("a_" + new string('B', 53)));
            Assert.False(InputRules.IsUserPoolId("a_" + new string('B', 54)));
        }

        [Theory]
        [InlineData("alice", true)]
        [InlineData("alice@example.com", true)]               // @ and . are punctuation
        [InlineData("Zoë", true)]                             // non-ASCII letters
        [InlineData("用户", true)]
        [InlineData("٣٤", true)]                              // Arabic-Indic digits are \p{N}
        [InlineData("e\u0301", true)]                         // a combining mark
        [InlineData("$+^", true)]                             // symbols
        [InlineData("😀", true)]                              // outside the BMP: one code point, \p{So}
        [InlineData("al ice", false)]                         // space is not in the class
        [InlineData("alice\n", false)]
        [InlineData("alice\t", false)]
        [InlineData("\u200B", false)]                         // zero-width space is a format char (Cf)
        [InlineData("\uE000", false)]                         // private use (Co)
        [InlineData("", false)]
        public void Username_matches_the_service_pattern_per_code_point(string value, bool valid) => Assert.Equal(valid, InputRules.IsUsername(value));

        [Fact]
        public void Username_rejects_unpaired_surrogates()
        {
            // Not as InlineData: test discovery carries strings as UTF-8 and would turn these into U+FFFD.
            Assert.False(InputRules.IsUsername("a\uD83D"));
            Assert.False(InputRules.IsUsername("\uDE00a"));
            Assert.False(InputRules.IsUsername("\uDE00\uD83D"));
            Assert.True(InputRules.IsUsername("\uD83D\uDE00"));
        }

        [Fact]
        public void Username_length_counts_code_points_like_the_service()
        {
            Assert.True(InputRules.IsUsername(new string('a', 128)));
            Assert.False(InputRules.IsUsername(new string('a', 129)));
            string emoji128 = string.Concat(Enumerable.Repeat("😀", 128)); // 256 UTF-16 units, 128 code points
            Assert.True(InputRules.IsUsername(emoji128));
            Assert.False(InputRules.IsUsername(emoji128 + "😀"));
        }

        [Theory]
        [InlineData("eyJraWQiOiJ4In0.eyJzdWIiOiJ5In0.c2ln", true)]
        [InlineData("abc-_=.XYZ09", true)]
        [InlineData("Bearer eyJraWQiOiJ4In0.eyJzdWIiOiJ5In0.c2ln", false)]
        [InlineData("eyJraWQiOiJ4In0.eyJzdWIiOiJ5In0.c2ln\n", false)]
        [InlineData("eyJ+/", false)]                          // base64 (not base64url) characters
        [InlineData("tökén", false)]
        [InlineData("", false)]
        public void AccessToken_matches_the_service_pattern(string value, bool valid) => Assert.Equal(valid, InputRules.IsAccessToken(value));

        [Theory]
        [InlineData("Bearer SENTINELtokenVALUE123", "Bearer")]
        [InlineData("SENTINELtokenVALUE123\n", "white space")]
        [InlineData(" SENTINELtokenVALUE123", "white space")]
        [InlineData("\"SENTINELtokenVALUE123\"", "quotes")]
        [InlineData("SENTINEL/token+VALUE123", "characters")]
        public void AccessToken_problem_says_what_is_wrong_and_never_quotes_the_token(string value, string hint)
        {
            string? message = InputRules.DescribeAccessTokenProblem(value);
            Assert.NotNull(message);
            Assert.Contains(hint, message);
            Assert.DoesNotContain("SENTINEL", message);
            Assert.DoesNotContain("VALUE123", message);
        }

        [Fact]
        public void Valid_access_token_has_no_problem() => Assert.Null(InputRules.DescribeAccessTokenProblem("abc.def.ghi"));

        [Theory]
        [InlineData("remembered", "remembered")]
        [InlineData("Not_Remembered", "not_remembered")]
        [InlineData("REMEMBERED", "remembered")]
        public void RememberedStatus_is_sent_in_the_APIs_spelling(string typed, string sent) => Assert.Equal(sent, InputRules.NormalizeRememberedStatus(typed));

        [Fact]
        public void Patterns_are_anchored_full_matches_without_options()
        {
            foreach (string pattern in new[] { CognitoPatterns.DeviceKey, CognitoPatterns.UserPoolId, CognitoPatterns.AccessToken })
            {
                Assert.StartsWith(@"\A", pattern);
                Assert.EndsWith(@"\z", pattern);
                Assert.DoesNotContain("$", pattern);
                Assert.DoesNotContain(@"\w", pattern); // .NET \w is Unicode; the service's is ASCII
            }
        }

        public static IEnumerable<object[]> ModelConstraints()
        {
            yield return new object[] { "DeviceKeyType", @"[\w-]+_[0-9a-f-]+", 1, 55 };
            yield return new object[] { "UserPoolIdType", @"[\w-]+_[0-9a-zA-Z]+", 1, 55 };
            yield return new object[] { "UsernameType", @"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", 1, 128 };
            yield return new object[] { "TokenModelType", "[A-Za-z0-9-_=.]+", null!, null! };
        }

        /// <summary>The service model is the source of truth: if botocore's model changes a pattern or bound, this fails.</summary>
        [Theory]
        [MemberData(nameof(ModelConstraints))]
        public void Service_model_still_says_what_the_rules_implement(string shape, string pattern, int? min, int? max)
        {
            using var model = JsonDocument.Parse(System.IO.File.ReadAllText(TestPaths.ServiceModel("service-2.json")));
            JsonElement s = model.RootElement.GetProperty("shapes").GetProperty(shape);
            Assert.Equal(pattern, s.GetProperty("pattern").GetString());
            if (min is not null) Assert.Equal(min, s.GetProperty("min").GetInt32());
            if (max is not null) Assert.Equal(max, s.GetProperty("max").GetInt32());
        }

        [Fact]
        public void Dotnet_patterns_agree_with_the_model_patterns_on_ascii()
        {
            // Over every printable ASCII two-part string shape, the anchored ASCII translation equals the
            // model pattern under full-match ECMAScript semantics (where \w is ASCII, as in Java).
            var modelKey = new Regex(@"^(?:[\w-]+_[0-9a-f-]+)$", RegexOptions.ECMAScript);
            var modelPool = new Regex(@"^(?:[\w-]+_[0-9a-zA-Z]+)$", RegexOptions.ECMAScript);
            var ours = new Regex(CognitoPatterns.DeviceKey);
            var oursPool = new Regex(CognitoPatterns.UserPoolId);
            for (int a = 32; a < 127; a++)
            {
                for (int b = 32; b < 127; b++)
                {
                    string s = "x" + (char)a + "_" + (char)b;
                    Assert.Equal(modelKey.IsMatch(s), ours.IsMatch(s));
                    Assert.Equal(modelPool.IsMatch(s), oursPool.IsMatch(s));
                }
            }
        }
    }
}
