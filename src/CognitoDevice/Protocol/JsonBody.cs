using System.Globalization;
using System.Text;

namespace CognitoDevice.Protocol
{
    /// <summary>Builds a flat JSON request object; null members are left out, as the AWS SDKs do.</summary>
    internal sealed class JsonBody
    {
        private readonly StringBuilder _builder = new StringBuilder(1024).Append('{');
        private bool _first = true;

        public JsonBody Add(string name, string? value)
        {
            if (value is null) return this;
            Separate(name);
            Json.WriteString(_builder, value);
            return this;
        }

        public JsonBody Add(string name, int? value)
        {
            if (value is null) return this;
            Separate(name);
            _builder.Append(value.Value.ToString(CultureInfo.InvariantCulture));
            return this;
        }

        private void Separate(string name)
        {
            if (!_first) _builder.Append(',');
            _first = false;
            Json.WriteString(_builder, name);
            _builder.Append(':');
        }

        public override string ToString()
        {
            _builder.Append('}');
            string json = _builder.ToString();
            _builder.Length--; // the builder stays open for further members
            return json;
        }
    }
}
