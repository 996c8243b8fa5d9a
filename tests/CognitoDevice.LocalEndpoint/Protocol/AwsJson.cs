using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CognitoDevice.LocalEndpoint.Protocol
{
    /// <summary>awsJson1_1 serialization helpers: error bodies, DeviceType, timestamps.</summary>
    public static class AwsJson
    {
        public const string ContentType = "application/x-amz-json-1.1";
        public const string ErrorTypeSuffix = ":http://internal.amazon.com/coral/com.amazon.coral.service/";

        private static readonly DateTime UnixEpoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        internal static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        /// <summary>{"__type":"Code","message":"..."}</summary>
        public static byte[] ErrorBody(string code, string message) =>
            Write(w =>
            {
                w.WriteStartObject();
                WriteString(w, "__type", code);
                WriteString(w, "message", message);
                w.WriteEndObject();
            });

        public static byte[] Write(Action<Utf8JsonWriter> write)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, WriterOptions))
            {
                write(w);
            }
            return buffer.ToArray();
        }

        /// <summary>
        /// Epoch seconds as a JSON number: "1700000000.123" (3-digit fraction) or, with
        /// <paramref name="exponent"/>, Java Double.toString style "1.700000000123E9" (what Coral sends).
        /// </summary>
        public static string FormatTimestamp(DateTime utc, bool exponent)
        {
            long ms = (utc.ToUniversalTime().Ticks - UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
            if (ms < 0) ms = 0;
            long seconds = ms / 1000;
            long fraction = ms % 1000;
            if (!exponent || seconds < 10)
            {
                return seconds.ToString(CultureInfo.InvariantCulture) + "." + fraction.ToString("000", CultureInfo.InvariantCulture);
            }
            string digits = ms.ToString(CultureInfo.InvariantCulture);
            int integerDigits = digits.Length - 3;
            string rest = digits.Substring(1).TrimEnd('0');
            if (rest.Length == 0) rest = "0";
            return digits[0] + "." + rest + "E" + (integerDigits - 1).ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>
        /// Writes a string member the way AWS services do: raw UTF-8 (including characters outside
        /// the BMP), escaping only '"', '\\', control characters and lone surrogates.
        /// System.Text.Json's encoders always escape non-BMP characters, hence this helper.
        /// </summary>
        public static void WriteString(Utf8JsonWriter w, string name, string value)
        {
            w.WritePropertyName(name);
            w.WriteRawValue(Quote(value), skipInputValidation: true);
        }

        /// <summary>A JSON string literal with minimal escaping.</summary>
        public static string Quote(string value)
        {
            var sb = new StringBuilder(value.Length + 2);
            sb.Append('"');
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    case '\b': sb.Append("\\b"); break;
                    case '\f': sb.Append("\\f"); break;
                    default:
                        if (c < 0x20)
                        {
                            sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                        {
                            sb.Append(c).Append(value[i + 1]);
                            i++;
                        }
                        else if (char.IsSurrogate(c))
                        {
                            sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            sb.Append(c);
                        }
                        break;
                }
            }
            sb.Append('"');
            return sb.ToString();
        }

        internal static void WriteDevice(Utf8JsonWriter w, DeviceSnapshot d, bool exponentTimestamps)
        {
            w.WriteStartObject();
            WriteString(w, "DeviceKey", d.DeviceKey);
            w.WritePropertyName("DeviceAttributes");
            w.WriteStartArray();
            foreach (KeyValuePair<string, string> a in d.Attributes)
            {
                w.WriteStartObject();
                WriteString(w, "Name", a.Key);
                WriteString(w, "Value", a.Value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WritePropertyName("DeviceCreateDate");
            w.WriteRawValue(FormatTimestamp(d.DeviceCreateDate, exponentTimestamps));
            w.WritePropertyName("DeviceLastModifiedDate");
            w.WriteRawValue(FormatTimestamp(d.DeviceLastModifiedDate, exponentTimestamps));
            w.WritePropertyName("DeviceLastAuthenticatedDate");
            w.WriteRawValue(FormatTimestamp(d.DeviceLastAuthenticatedDate, exponentTimestamps));
            w.WriteEndObject();
        }
    }
}
