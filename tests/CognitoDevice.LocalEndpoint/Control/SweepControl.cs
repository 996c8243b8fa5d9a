using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Protocol;
using CognitoDevice.LocalEndpoint.Quotas;

namespace CognitoDevice.LocalEndpoint.Control
{
    /// <summary>Control endpoints for pool-wide sweeps: quotas, latency and bulk users.</summary>
    internal sealed partial class ControlApi
    {
        /// <summary>
        /// GET /_local/requests: first waits (at most a second) until every service request received so far is
        /// recorded. A request is logged after its answer is sent, so a client that has its answer could otherwise read
        /// the log a moment too early; with overlapped calls that race is no longer rare.
        /// </summary>
        private async Task<byte[]> ListRequestsAsync()
        {
            var deadline = DateTime.UtcNow.AddSeconds(1);
            while (_owner.RequestsInProgress > 0 && DateTime.UtcNow < deadline) await Task.Delay(5).ConfigureAwait(false);
            return ListRequests();
        }

        /// <summary>POST /_local/reset puts quotas and latency back to the start options.</summary>
        private void ResetConditions()
        {
            LocalCognitoOptions start = _owner.Options;
            _owner.Quotas.Configure(start.Quotas);
            _owner.Quotas.ResetCounters();
            _owner.Latency = start.Latency;
        }

        private byte[] DescribeQuotas()
        {
            QuotaSettings? settings = _owner.Quotas.Settings;
            IReadOnlyDictionary<string, (long Allowed, long Throttled)> counters = _owner.Quotas.Counters;
            return AwsJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("enabled", settings is not null);
                if (settings is not null)
                {
                    w.WriteNumber("scale", settings.Scale);
                    w.WritePropertyName("categories");
                    w.WriteStartObject();
                    foreach (KeyValuePair<string, double> c in settings.Categories.OrderBy(c => c.Key, StringComparer.Ordinal)) w.WriteNumber(c.Key, c.Value);
                    w.WriteEndObject();
                    if (settings.PerUserReads is double r) w.WriteNumber("perUserReads", r); else w.WriteNull("perUserReads");
                    if (settings.PerUserWrites is double wr) w.WriteNumber("perUserWrites", wr); else w.WriteNull("perUserWrites");
                }
                w.WriteNumber("latencyMs", _owner.Latency.TotalMilliseconds);
                w.WritePropertyName("counters");
                w.WriteStartObject();
                foreach (KeyValuePair<string, (long Allowed, long Throttled)> c in counters.OrderBy(c => c.Key, StringComparer.Ordinal))
                {
                    w.WritePropertyName(c.Key);
                    w.WriteStartObject();
                    w.WriteNumber("allowed", c.Value.Allowed);
                    w.WriteNumber("throttled", c.Value.Throttled);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteEndObject();
            });
        }

        /// <summary>
        /// {enabled?, scale?, categories?: {UserList: 30, ...}, perUserReads?, perUserWrites?, resetCounters?}: Cognito's
        /// defaults with the given changes; enabled false turns quotas off.
        /// </summary>
        private byte[] SetQuotas(JsonElement input)
        {
            if (OptBool(input, "resetCounters") == true) _owner.Quotas.ResetCounters();
            if (OptBool(input, "enabled") == false)
            {
                _owner.Quotas.Configure(null);
                return DescribeQuotas();
            }
            QuotaSettings settings = QuotaSettings.Cognito(OptNumber(input, "scale") ?? 1);
            if (TryGet(input, "categories", out JsonElement categories))
            {
                if (categories.ValueKind != JsonValueKind.Object) throw new ControlException(400, "'categories' must be an object of category: requests per second.");
                foreach (JsonProperty p in categories.EnumerateObject())
                {
                    if (p.Value.ValueKind != JsonValueKind.Number) throw new ControlException(400, "Quota " + p.Name + " must be a number.");
                    settings.Categories[p.Name] = p.Value.GetDouble();
                }
            }
            if (TryGet(input, "perUserReads", out JsonElement reads)) settings.PerUserReads = reads.GetDouble();
            if (TryGet(input, "perUserWrites", out JsonElement writes)) settings.PerUserWrites = writes.GetDouble();
            if (OptBool(input, "perUserLimits") == false)
            {
                settings.PerUserReads = null;
                settings.PerUserWrites = null;
            }
            _owner.Quotas.Configure(settings); // ArgumentException (400) for unknown categories or bad rates
            return DescribeQuotas();
        }

        /// <summary>{ms}: the delay before each service request is processed.</summary>
        private byte[] SetLatency(JsonElement input)
        {
            double ms = OptNumber(input, "ms") ?? throw new ControlException(400, "'ms' is required.");
            if (ms < 0 || ms > 60_000) throw new ControlException(400, "'ms' must be 0..60000.");
            _owner.Latency = TimeSpan.FromMilliseconds(ms);
            return DescribeQuotas();
        }

        /// <summary>{poolId, count, prefix?, maxDevices?, seed?, start?}: count users (prefix00000...) with 0..maxDevices devices each.</summary>
        private byte[] SeedUsers(JsonElement input)
        {
            UserPool pool = Pool(input);
            int count = OptInt(input, "count") ?? throw new ControlException(400, "'count' is required.");
            if (count < 0 || count > 1_000_000) throw new ControlException(400, "'count' must be 0..1000000.");
            int maxDevices = OptInt(input, "maxDevices") ?? 5;
            if (maxDevices < 0 || maxDevices > 1000) throw new ControlException(400, "'maxDevices' must be 0..1000.");
            int devices = State.SeedUsers(pool, count, OptString(input, "prefix") ?? "user", maxDevices, OptInt(input, "seed") ?? 1, OptInt(input, "start") ?? 0);
            return AwsJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("users", count);
                w.WriteNumber("devices", devices);
                w.WriteEndObject();
            });
        }
    }
}
