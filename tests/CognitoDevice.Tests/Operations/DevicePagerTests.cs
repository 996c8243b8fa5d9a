using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CognitoDevice.Operations;
using CognitoDevice.Protocol;
using Xunit;

namespace CognitoDevice.Tests.Operations
{
    public class DevicePagerTests
    {
        private static Device D(int i) => new("us-east-1_" + i.ToString("x8", CultureInfo.InvariantCulture), new Dictionary<string, string?>(), null, null, null, "us-east-1", null, null);

        /// <summary>A fake service with <paramref name="total"/> devices served 60 a page; counts the pages fetched.</summary>
        private sealed class Pages
        {
            private readonly int _total;
            private readonly int _pageSize;
            private readonly int? _failOnPage;

            public Pages(int total, int pageSize = 60, int? failOnPage = null)
            {
                _total = total;
                _pageSize = pageSize;
                _failOnPage = failOnPage;
            }

            public int Fetched { get; private set; }

            public DevicePage Fetch(string? token)
            {
                int start = token is null ? 0 : int.Parse(token, CultureInfo.InvariantCulture);
                Fetched++;
                if (Fetched == _failOnPage) throw new InternalErrorException("page failed");
                var devices = Enumerable.Range(start, Math.Max(0, Math.Min(_pageSize, _total - start))).Select(D).ToList();
                int next = start + devices.Count;
                return new DevicePage(devices, next < _total ? next.ToString(CultureInfo.InvariantCulture) : null);
            }
        }

        [Theory]
        [InlineData(0, 1)]
        [InlineData(1, 1)]
        [InlineData(60, 1)]
        [InlineData(61, 2)]
        [InlineData(1000, 17)]
        public void Every_device_once_in_order_over_the_right_number_of_pages(int total, int pages)
        {
            var service = new Pages(total);
            var seen = DevicePager.Enumerate(service.Fetch).Select(d => d.DeviceKey).ToList();
            Assert.Equal(Enumerable.Range(0, total).Select(i => D(i).DeviceKey), seen);
            Assert.Equal(pages, service.Fetched);
        }

        [Fact]
        public void A_failure_on_page_3_comes_after_pages_1_and_2_were_written()
        {
            var service = new Pages(1000, failOnPage: 3);
            var written = new List<string>();
            var ex = Assert.Throws<InternalErrorException>(() =>
            {
                foreach (Device d in DevicePager.Enumerate(service.Fetch)) written.Add(d.DeviceKey);
            });
            Assert.Equal(120, written.Count);
            Assert.Equal(3, service.Fetched);
        }

        [Fact]
        public void Stopping_early_fetches_no_further_page()
        {
            var service = new Pages(1000);
            Assert.Single(DevicePager.Enumerate(service.Fetch).Take(1));
            Assert.Equal(1, service.Fetched);
            Assert.Equal(61, DevicePager.Enumerate(service.Fetch).Take(61).Count());
        }

        [Fact]
        public void Pages_are_fetched_only_as_devices_are_consumed()
        {
            var service = new Pages(200);
            using var e = DevicePager.Enumerate(service.Fetch).GetEnumerator();
            Assert.Equal(0, service.Fetched);
            for (int i = 0; i < 60; i++) Assert.True(e.MoveNext());
            Assert.Equal(1, service.Fetched);
            Assert.True(e.MoveNext());
            Assert.Equal(2, service.Fetched);
        }

        [Fact]
        public void A_repeated_pagination_token_is_an_error_not_an_endless_loop()
        {
            int calls = 0;
            DevicePage Loop(string? _) => new(new[] { D(calls++) }, "same");
            var ex = Assert.Throws<CognitoDeviceException>(() => DevicePager.Enumerate(Loop).Take(100).ToList());
            Assert.Equal("UnexpectedResponse", ex.ErrorCode);
            Assert.Equal(2, calls);
        }
    }

    public class DeviceParserTests
    {
        [Theory]
        [InlineData("1700000000.123", "2023-11-14T22:13:20.1230000Z")]
        [InlineData("1.700000000123E9", "2023-11-14T22:13:20.1230000Z")]
        [InlineData("1700000000", "2023-11-14T22:13:20.0000000Z")]
        [InlineData("0", "1970-01-01T00:00:00.0000000Z")]
        [InlineData("-1.5", "1969-12-31T23:59:58.5000000Z")]
        [InlineData("1700000000.1234567", "2023-11-14T22:13:20.1234567Z")]
        public void Epoch_seconds_become_exact_UTC_dates(string raw, string iso)
        {
            DateTime d = DeviceParser.FromEpochSeconds(new JsonNumber(raw));
            Assert.Equal(DateTimeKind.Utc, d.Kind);
            Assert.Equal(iso, d.ToString("o", CultureInfo.InvariantCulture));
        }

        [Theory]
        [InlineData("1e300")]
        [InlineData("-1e20")]
        public void Dates_out_of_range_are_unreadable_not_a_crash(string raw) =>
            Assert.Equal("UnreadableResponse", Assert.Throws<CognitoDeviceException>(() => DeviceParser.FromEpochSeconds(new JsonNumber(raw))).ErrorCode);

        [Fact]
        public void A_device_has_its_attributes_dates_and_origin()
        {
            object? json = Json.Parse(@"{""DeviceKey"":""us-east-1_0a"",""DeviceAttributes"":[
                {""Name"":""device_status"",""Value"":""valid""},{""Name"":""device_name"",""Value"":""Chrome on Windows""},
                {""Name"":""dev:device_remembered_status"",""Value"":""remembered""},{""Name"":""last_ip_used"",""Value"":""203.0.113.7""},
                {""Name"":""dev:device_sdk"",""Value"":""aws-sdk""},{""Name"":""novalue""}],
                ""DeviceCreateDate"":1600000000.5,""DeviceLastModifiedDate"":1.6E9,""DeviceLastAuthenticatedDate"":1700000000}");
            Device d = DeviceParser.Parse(json, "us-east-1", "us-east-1_Pool", "alice");
            Assert.Equal("us-east-1_0a", d.DeviceKey);
            Assert.Equal("Chrome on Windows", d.DeviceName);
            Assert.Equal("valid", d.Status);
            Assert.Equal("remembered", d.RememberedStatus);
            Assert.Equal("203.0.113.7", d.LastIpUsed);
            Assert.Equal("aws-sdk", d.Attributes["dev:device_sdk"]);
            Assert.Null(d.Attributes["novalue"]);
            Assert.Equal(6, d.Attributes.Count);
            Assert.Equal(new DateTime(2020, 9, 13, 12, 26, 40, 500, DateTimeKind.Utc), d.CreateDate);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_600_000_000).UtcDateTime, d.LastModifiedDate);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).UtcDateTime, d.LastAuthenticatedDate);
            Assert.Equal(("us-east-1", "us-east-1_Pool", "alice"), (d.Region, d.UserPoolId, d.Username));
        }

        [Theory]
        [InlineData("[]")]
        [InlineData("{}")]
        [InlineData("{\"DeviceKey\":5}")]
        [InlineData("{\"DeviceKey\":\"k_0\",\"DeviceAttributes\":{}}")]
        [InlineData("{\"DeviceKey\":\"k_0\",\"DeviceAttributes\":[{\"Value\":\"x\"}]}")]
        [InlineData("{\"DeviceKey\":\"k_0\",\"DeviceCreateDate\":\"yesterday\"}")]
        public void Malformed_devices_are_unreadable_responses(string json) =>
            Assert.Equal("UnreadableResponse", Assert.Throws<CognitoDeviceException>(() => DeviceParser.Parse(Json.Parse(json), "r", null, null)).ErrorCode);
    }
}
