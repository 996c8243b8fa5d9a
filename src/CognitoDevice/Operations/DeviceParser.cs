using System;
using System.Collections.Generic;
using System.Globalization;
using CognitoDevice.Protocol;

namespace CognitoDevice.Operations
{
    /// <summary>Turns Cognito's DeviceType JSON into <see cref="Device"/>; dates are epoch seconds with fractions.</summary>
    internal static class DeviceParser
    {
        private static readonly DateTime Epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        public static Device Parse(object? json, string region, string? userPoolId, string? username)
        {
            if (json is not Dictionary<string, object?> device) throw Unreadable("a device is not a JSON object");
            if (!(device.TryGetValue("DeviceKey", out object? key) && key is string deviceKey)) throw Unreadable("a device has no DeviceKey");

            var attributes = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (device.TryGetValue("DeviceAttributes", out object? list) && list is not null)
            {
                if (list is not List<object?> items) throw Unreadable("DeviceAttributes is not a list");
                foreach (object? item in items)
                {
                    if (item is Dictionary<string, object?> attribute && attribute.TryGetValue("Name", out object? name) && name is string attributeName)
                    {
                        attributes[attributeName] = attribute.TryGetValue("Value", out object? value) ? value as string : null;
                    }
                    else
                    {
                        throw Unreadable("a device attribute has no Name");
                    }
                }
            }

            return new Device(deviceKey, attributes,
                Date(device, "DeviceCreateDate"), Date(device, "DeviceLastModifiedDate"), Date(device, "DeviceLastAuthenticatedDate"),
                region, userPoolId, username);
        }

        private static DateTime? Date(Dictionary<string, object?> device, string name)
        {
            if (!device.TryGetValue(name, out object? value) || value is null) return null;
            if (value is JsonNumber number) return FromEpochSeconds(number);
            throw Unreadable($"{name} is not a number");
        }

        /// <summary>Epoch seconds (with fraction or exponent) to a UTC DateTime, exact to the tick.</summary>
        internal static DateTime FromEpochSeconds(JsonNumber number)
        {
            if (!number.TryGetDecimal(out decimal seconds)) throw Unreadable("a date is out of range");
            decimal ticks = decimal.Round(seconds * TimeSpan.TicksPerSecond, 0, MidpointRounding.AwayFromZero);
            decimal min = -Epoch.Ticks;
            decimal max = DateTime.MaxValue.Ticks - Epoch.Ticks;
            if (ticks < min || ticks > max) throw Unreadable("a date is out of range");
            return new DateTime(Epoch.Ticks + (long)ticks, DateTimeKind.Utc);
        }

        internal static CognitoDeviceException Unreadable(string what) =>
            new CognitoDeviceException(Errors.ErrorCatalog.ClientCodes.UnreadableResponse,
                string.Format(CultureInfo.InvariantCulture, "The Cognito response could not be read: {0}.", what));
    }
}
