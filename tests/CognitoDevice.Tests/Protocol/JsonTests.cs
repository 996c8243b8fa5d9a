using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CognitoDevice.Protocol;
using Xunit;
using Stj = System.Text.Json;

namespace CognitoDevice.Tests.Protocol
{
    public class JsonTests
    {
        [Theory]
        [InlineData("{}")]
        [InlineData(" { \"a\" : [1, -2.5e3, true, false, null, \"x\\u00e9\\n\"] } ")]
        [InlineData("[]")]
        [InlineData("\"\\ud83d\\ude00\"")]
        [InlineData("0")]
        [InlineData("-0.0E+1")]
        public void Accepts_valid_json(string text) => Json.Parse(text);

        [Theory]
        [InlineData("")]
        [InlineData("{")]
        [InlineData("{\"a\":1,}")]      // trailing comma
        [InlineData("[1,]")]
        [InlineData("{'a':1}")]         // single quotes
        [InlineData("01")]              // leading zero
        [InlineData("1.")]
        [InlineData(".5")]
        [InlineData("+1")]
        [InlineData("\"a\tb\"")]        // raw control character
        [InlineData("\"\\x\"")]         // bad escape
        [InlineData("\"\\u12\"")]
        [InlineData("nul")]
        [InlineData("{} {}")]           // two values
        [InlineData("<html>502 Bad Gateway</html>")]
        public void Rejects_invalid_json_with_a_message_that_does_not_quote_it(string text)
        {
            var ex = Assert.Throws<JsonFormatException>(() => Json.Parse(text));
            if (text.Length > 3) Assert.DoesNotContain(text, ex.Message);
        }

        [Fact]
        public void Rejects_deep_nesting_instead_of_overflowing_the_stack()
        {
            string deep = new string('[', 100_000) + new string(']', 100_000);
            Assert.Throws<JsonFormatException>(() => Json.Parse(deep));
        }

        [Fact]
        public void Numbers_keep_their_text()
        {
            var doc = (Dictionary<string, object?>)Json.Parse("{\"d\":1.700000000123E9}")!;
            var n = (JsonNumber)doc["d"]!;
            Assert.Equal("1.700000000123E9", n.Raw);
            Assert.True(n.TryGetDecimal(out decimal d));
            Assert.Equal(1700000000.123m, d);
        }

        [Fact]
        public void Quote_escapes_what_json_requires_and_round_trips()
        {
            string s = "a\"b\\c\n\r\t\b\f\u0001\u2028é😀/";
            string quoted = Json.Quote(s);
            Assert.Equal(s, Stj.JsonSerializer.Deserialize<string>(quoted));
            Assert.Equal(s, Json.Parse(quoted));
        }

        /// <summary>Differential test: generated documents parse to the same tree as System.Text.Json's.</summary>
        [Fact]
        public void Agrees_with_System_Text_Json_on_generated_documents()
        {
            var random = new Random(20261121);
            for (int i = 0; i < 2000; i++)
            {
                string text = Generate(random, 0);
                object? ours = Json.Parse(text);
                using var theirs = Stj.JsonDocument.Parse(text);
                AssertSame(theirs.RootElement, ours);
            }
        }

        /// <summary>Generated near-JSON: both parsers accept or both reject.</summary>
        [Fact]
        public void Agrees_with_System_Text_Json_on_mutated_documents()
        {
            var random = new Random(7);
            const string alphabet = "{}[]\",:0123456789.eE+-tfnrul\\ \n";
            for (int i = 0; i < 5000; i++)
            {
                var chars = Generate(random, 0).ToCharArray();
                int flips = random.Next(1, 3);
                for (int f = 0; f < flips && chars.Length > 0; f++) chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
                string text = new string(chars);
                if (text.Any(char.IsSurrogate) && !IsWellFormedUtf16(text)) continue; // the oracle reads UTF-8 only
                bool theirs;
                try
                {
                    using var _ = Stj.JsonDocument.Parse(text, new Stj.JsonDocumentOptions { MaxDepth = 64 });
                    theirs = true;
                }
                catch (Stj.JsonException)
                {
                    theirs = false;
                }
                bool ours;
                try
                {
                    Json.Parse(text);
                    ours = true;
                }
                catch (JsonFormatException)
                {
                    ours = false;
                }
                Assert.True(theirs == ours, $"Disagreement on: {text}");
            }
        }

        private static bool IsWellFormedUtf16(string s)
        {
            for (int i = 0; i < s.Length; i++)
            {
                if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
                else if (char.IsSurrogate(s[i])) return false;
            }
            return true;
        }

        private static string Generate(Random r, int depth)
        {
            int pick = depth > 3 ? r.Next(4) : r.Next(6);
            switch (pick)
            {
                case 0: return Json.Quote(RandomString(r));
                case 1: return (r.NextDouble() * 1e6 - 5e5).ToString("R", CultureInfo.InvariantCulture);
                case 2: return r.Next(3) switch { 0 => "true", 1 => "false", _ => "null" };
                case 3: return r.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture);
                case 4: return "[" + string.Join(",", Enumerable.Range(0, r.Next(4)).Select(_ => Generate(r, depth + 1))) + "]";
                default:
                    return "{" + string.Join(",", Enumerable.Range(0, r.Next(4)).Select(_ => Json.Quote(RandomString(r)) + ":" + Generate(r, depth + 1))) + "}";
            }
        }

        private static string RandomString(Random r)
        {
            var b = new StringBuilder();
            int n = r.Next(8);
            for (int i = 0; i < n; i++)
            {
                int kind = r.Next(5);
                b.Append(kind switch { 0 => (char)r.Next(0, 32), 1 => (char)r.Next(0x80, 0xD7FF), 2 => "😀", _ => (char)r.Next(32, 127) });
            }
            return b.ToString();
        }

        private static void AssertSame(Stj.JsonElement expected, object? actual)
        {
            switch (expected.ValueKind)
            {
                case Stj.JsonValueKind.Object:
                    var map = Assert.IsType<Dictionary<string, object?>>(actual);
                    var props = expected.EnumerateObject().GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Last().Value);
                    Assert.Equal(props.Count, map.Count);
                    foreach (var p in props) AssertSame(p.Value, map[p.Key]);
                    break;
                case Stj.JsonValueKind.Array:
                    var list = Assert.IsType<List<object?>>(actual);
                    var items = expected.EnumerateArray().ToList();
                    Assert.Equal(items.Count, list.Count);
                    for (int i = 0; i < items.Count; i++) AssertSame(items[i], list[i]);
                    break;
                case Stj.JsonValueKind.String: Assert.Equal(expected.GetString(), actual); break;
                case Stj.JsonValueKind.Number: Assert.Equal(expected.GetRawText(), ((JsonNumber)actual!).Raw); break;
                case Stj.JsonValueKind.True: Assert.Equal(true, actual); break;
                case Stj.JsonValueKind.False: Assert.Equal(false, actual); break;
                case Stj.JsonValueKind.Null: Assert.Null(actual); break;
            }
        }
    }
}
