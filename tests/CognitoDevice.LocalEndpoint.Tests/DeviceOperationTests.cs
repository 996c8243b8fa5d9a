using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Tests.Infrastructure;
using Xunit;

namespace CognitoDevice.LocalEndpoint.Tests
{
    /// <summary>The eight operations: shapes of the answers, state changes, ownership and lookup errors.</summary>
    public sealed class DeviceOperationTests : IClassFixture<EndpointFixture>
    {
        private readonly EndpointFixture _fx;

        public DeviceOperationTests(EndpointFixture fx) => _fx = fx;

        private TestCredential Creds => _fx.Cognito.Credentials;

        private static DateTime Epoch(JsonElement e) => DateTime.UnixEpoch.AddMilliseconds(Math.Round(e.GetDouble() * 1000));

        private static void AssertDevice(JsonElement json, StoredDevice stored)
        {
            Assert.Equal(stored.DeviceKey, json.GetProperty("DeviceKey").GetString());
            Dictionary<string, string> attrs = Asserts.Attributes(json);
            Assert.Equal("valid", attrs["device_status"]);
            Assert.Equal(stored.DeviceName, attrs["device_name"]);
            Assert.Equal(stored.LastIpUsed, attrs["last_ip_used"]);
            Assert.Equal(stored.DeviceRememberedStatus, attrs["dev:device_remembered_status"]);
            Assert.Equal(stored.DeviceCreateDate, Epoch(json.GetProperty("DeviceCreateDate")));
            Assert.Equal(stored.DeviceLastModifiedDate, Epoch(json.GetProperty("DeviceLastModifiedDate")));
            Assert.Equal(stored.DeviceLastAuthenticatedDate, Epoch(json.GetProperty("DeviceLastAuthenticatedDate")));
        }

        [Fact]
        public async Task GetDevice_and_AdminGetDevice_return_the_stored_device()
        {
            TestUser u = _fx.NewUser(devices: 3);
            StoredDevice d = u.Devices[1];
            ApiResponse r = await _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = d.DeviceKey });
            Asserts.Ok(r);
            AssertDevice(r.Json.GetProperty("Device"), d);
            ApiResponse a = await _fx.Api.CallAsync("AdminGetDevice", new { DeviceKey = d.DeviceKey, UserPoolId = u.PoolId, Username = u.Username }, Creds);
            Asserts.Ok(a);
            Assert.Equal(r.Body, a.Body);
        }

        [Fact]
        public async Task Dates_are_epoch_seconds_with_three_fraction_digits()
        {
            TestUser u = _fx.NewUser();
            DateTime created = DateTime.UnixEpoch.AddMilliseconds(1700000000123);
            DateTime whole = DateTime.UnixEpoch.AddSeconds(1700000100);
            StoredDevice d = _fx.Cognito.State.AddDevice(u.User, created: created, lastModified: whole, lastAuthenticated: whole.AddTicks(9999));
            ApiResponse r = await _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = d.DeviceKey });
            Asserts.Ok(r);
            Assert.Contains("\"DeviceCreateDate\":1700000000.123,", r.Body, StringComparison.Ordinal);
            Assert.Contains("\"DeviceLastModifiedDate\":1700000100.000,", r.Body, StringComparison.Ordinal);
            Assert.Contains("\"DeviceLastAuthenticatedDate\":1700000100.000}", r.Body, StringComparison.Ordinal); // truncated to ms
        }

        [Fact]
        public async Task Devices_without_name_or_ip_omit_those_attributes()
        {
            TestUser u = _fx.NewUser();
            StoredDevice d = _fx.Cognito.State.AddDevice(u.User, remembered: false);
            ApiResponse r = await _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = d.DeviceKey });
            Dictionary<string, string> attrs = Asserts.Attributes(r.Json.GetProperty("Device"));
            Assert.Equal(new[] { "device_status", "dev:device_remembered_status" }, attrs.Keys);
            Assert.Equal("not_remembered", attrs["dev:device_remembered_status"]);
            Assert.Matches("^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", d.DeviceKey);
        }

        [Fact]
        public async Task ForgetDevice_removes_it_and_a_second_forget_is_ResourceNotFound()
        {
            TestUser u = _fx.NewUser(devices: 2);
            string key = u.Devices[0].DeviceKey;
            ApiResponse r = await _fx.Api.CallAsync("ForgetDevice", new { AccessToken = u.Token, DeviceKey = key });
            Asserts.Ok(r);
            Assert.Equal("{}", r.Body);
            Assert.Null(_fx.Cognito.State.FindDevice(u.User, key));
            Assert.False(u.Devices[0].Exists);
            Assert.True(u.Devices[1].Exists);
            Asserts.Error(await _fx.Api.CallAsync("ForgetDevice", new { AccessToken = u.Token, DeviceKey = key }), "ResourceNotFoundException", "Device does not exist.");
            Asserts.Error(await _fx.Api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = key }), "ResourceNotFoundException", "Device does not exist.");
        }

        [Fact]
        public async Task AdminForgetDevice_removes_it()
        {
            TestUser u = _fx.NewUser(devices: 2);
            string key = u.Devices[1].DeviceKey;
            ApiResponse r = await _fx.Api.CallAsync("AdminForgetDevice", new { UserPoolId = u.PoolId, Username = u.Username, DeviceKey = key }, Creds);
            Asserts.Ok(r);
            Assert.Equal("{}", r.Body);
            Assert.Null(_fx.Cognito.State.FindDevice(u.User, key));
            Asserts.Error(await _fx.Api.CallAsync("AdminForgetDevice", new { UserPoolId = u.PoolId, Username = u.Username, DeviceKey = key }, Creds),
                "ResourceNotFoundException", "Device does not exist.");
        }

        [Fact]
        public async Task UpdateDeviceStatus_changes_status_and_last_modified()
        {
            TestUser u = _fx.NewUser();
            DateTime old = DateTime.UtcNow.AddDays(-30);
            StoredDevice d = _fx.Cognito.State.AddDevice(u.User, created: old, lastModified: old, lastAuthenticated: old, remembered: true);
            ApiResponse r = await _fx.Api.CallAsync("UpdateDeviceStatus", new { AccessToken = u.Token, DeviceKey = d.DeviceKey, DeviceRememberedStatus = "not_remembered" });
            Asserts.Ok(r);
            Assert.Equal("{}", r.Body);
            Assert.Equal("not_remembered", d.DeviceRememberedStatus);
            Assert.True(d.DeviceLastModifiedDate > DateTime.UtcNow.AddMinutes(-1));
            Assert.Equal(CognitoStateTruncate(old), d.DeviceLastAuthenticatedDate);

            Asserts.Ok(await _fx.Api.CallAsync("AdminUpdateDeviceStatus", new { UserPoolId = u.PoolId, Username = u.Username, DeviceKey = d.DeviceKey, DeviceRememberedStatus = "remembered" }, Creds));
            Assert.Equal("remembered", d.DeviceRememberedStatus);

            // DeviceRememberedStatus is optional in the model: absent leaves the status unchanged.
            Asserts.Ok(await _fx.Api.CallAsync("UpdateDeviceStatus", new { AccessToken = u.Token, DeviceKey = d.DeviceKey }));
            Assert.Equal("remembered", d.DeviceRememberedStatus);
        }

        private static DateTime CognitoStateTruncate(DateTime t) => new DateTime(t.Ticks - t.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

        [Fact]
        public async Task Devices_of_another_user_do_not_exist_for_this_user()
        {
            TestUser owner = _fx.NewUser(devices: 1);
            TestUser other = _fx.NewUser(devices: 1);
            string key = owner.Devices[0].DeviceKey;
            const string code = "ResourceNotFoundException";
            const string message = "Device does not exist.";
            Asserts.Error(await _fx.Api.CallAsync("GetDevice", new { AccessToken = other.Token, DeviceKey = key }), code, message);
            Asserts.Error(await _fx.Api.CallAsync("ForgetDevice", new { AccessToken = other.Token, DeviceKey = key }), code, message);
            Asserts.Error(await _fx.Api.CallAsync("UpdateDeviceStatus", new { AccessToken = other.Token, DeviceKey = key, DeviceRememberedStatus = "not_remembered" }), code, message);
            Asserts.Error(await _fx.Api.CallAsync("AdminGetDevice", new { UserPoolId = other.PoolId, Username = other.Username, DeviceKey = key }, Creds), code, message);
            Asserts.Error(await _fx.Api.CallAsync("AdminForgetDevice", new { UserPoolId = other.PoolId, Username = other.Username, DeviceKey = key }, Creds), code, message);
            Asserts.Error(await _fx.Api.CallAsync("AdminUpdateDeviceStatus", new { UserPoolId = other.PoolId, Username = other.Username, DeviceKey = key }, Creds), code, message);
            Assert.True(owner.Devices[0].Exists);
            Assert.Equal(owner.Devices[0].Remembered ? "remembered" : "not_remembered", owner.Devices[0].DeviceRememberedStatus);
            List<string> otherKeys = Asserts.DeviceKeys(await _fx.Api.CallAsync("ListDevices", new { AccessToken = other.Token }));
            Assert.DoesNotContain(key, otherKeys);
        }

        [Fact]
        public async Task Admin_missing_pool_and_missing_user()
        {
            TestUser u = _fx.NewUser(devices: 1);
            string key = u.Devices[0].DeviceKey;
            foreach (string op in new[] { "AdminListDevices", "AdminGetDevice", "AdminForgetDevice", "AdminUpdateDeviceStatus" })
            {
                Asserts.Error(await _fx.Api.CallAsync(op, new { UserPoolId = "us-east-1_Nope", Username = u.Username, DeviceKey = key }, Creds),
                    "ResourceNotFoundException", "User pool us-east-1_Nope does not exist.");
                Asserts.Error(await _fx.Api.CallAsync(op, new { UserPoolId = u.PoolId, Username = "nobody", DeviceKey = key }, Creds),
                    "UserNotFoundException", "User does not exist.");
            }
            Assert.True(u.Devices[0].Exists);
        }

        [Fact]
        public async Task Admin_username_may_be_the_sub_and_is_case_sensitive()
        {
            TestUser u = _fx.NewUser(devices: 2);
            Assert.Equal(2, Asserts.DeviceKeys(await _fx.Api.CallAsync("AdminListDevices", new { UserPoolId = u.PoolId, Username = u.User.Sub }, Creds)).Count);
            Asserts.Error(await _fx.Api.CallAsync("AdminListDevices", new { UserPoolId = u.PoolId, Username = u.Username.ToUpperInvariant() }, Creds), "UserNotFoundException");
        }

        [Fact]
        public async Task ListDevices_and_AdminListDevices_agree()
        {
            TestUser u = _fx.NewUser(devices: 4);
            ApiResponse t = await _fx.Api.CallAsync("ListDevices", new { AccessToken = u.Token });
            ApiResponse a = await _fx.Api.CallAsync("AdminListDevices", new { UserPoolId = u.PoolId, Username = u.Username }, Creds);
            Asserts.Ok(t);
            Asserts.Ok(a);
            Assert.Equal(t.Body, a.Body);
            Assert.False(t.Json.TryGetProperty("PaginationToken", out _));
            var stored = _fx.Cognito.State.Devices(u.User);
            int i = 0;
            foreach (JsonElement d in t.Json.GetProperty("Devices").EnumerateArray()) AssertDevice(d, stored[i++]);
        }

        [Fact]
        public async Task Empty_body_and_exponent_options()
        {
            await using LocalCognito cognito = await LocalCognito.StartAsync(new LocalCognitoOptions { EmptyBodyForNoOutput = true, ExponentTimestamps = true });
            var api = new Api(_fx.Http, cognito.Url);
            TestUser u = TestUser.Create(cognito);
            StoredDevice d = cognito.State.AddDevice(u.User, created: DateTime.UnixEpoch.AddMilliseconds(1700000000123),
                lastModified: DateTime.UnixEpoch.AddSeconds(1700000000), lastAuthenticated: DateTime.UnixEpoch.AddMilliseconds(1700000000100));
            ApiResponse get = await api.CallAsync("GetDevice", new { AccessToken = u.Token, DeviceKey = d.DeviceKey });
            Asserts.Ok(get);
            Assert.Contains("\"DeviceCreateDate\":1.700000000123E9,\"DeviceLastModifiedDate\":1.7E9,\"DeviceLastAuthenticatedDate\":1.7000000001E9}", get.Body, StringComparison.Ordinal);

            ApiResponse update = await api.CallAsync("UpdateDeviceStatus", new { AccessToken = u.Token, DeviceKey = d.DeviceKey, DeviceRememberedStatus = "not_remembered" });
            Assert.Equal("{}", update.Body); // has an (empty) output shape

            ApiResponse forget = await api.CallAsync("ForgetDevice", new { AccessToken = u.Token, DeviceKey = d.DeviceKey });
            Asserts.Ok(forget);
            Assert.Equal("", forget.Body);
            Assert.Equal("0", forget.Header("Content-Length"));

            StoredDevice d2 = cognito.State.AddDevice(u.User);
            ApiResponse adminForget = await api.CallAsync("AdminForgetDevice", new { UserPoolId = u.PoolId, Username = u.Username, DeviceKey = d2.DeviceKey }, cognito.Credentials);
            Asserts.Ok(adminForget);
            Assert.Equal("", adminForget.Body);
            Assert.False(d2.Exists);
        }

        [Fact]
        public void Pool_ids_default_to_region_and_nine_alphanumerics()
        {
            UserPool pool = _fx.Cognito.State.CreatePool("eu-west-2");
            Assert.Matches(new Regex("^eu-west-2_[0-9A-Za-z]{9}$"), pool.Id);
            Assert.Equal("eu-west-2", pool.Region);
            Assert.Matches("^[a-z0-9]{26}$", pool.ClientId);
            Assert.Throws<InvalidOperationException>(() => _fx.Cognito.State.CreatePool("eu-west-2", pool.Id));
            Assert.Equal(pool, _fx.Cognito.State.FindPool(pool.Id));
        }
    }
}
