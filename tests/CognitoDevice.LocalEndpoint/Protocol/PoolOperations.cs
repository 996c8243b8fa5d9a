using System.Collections.Generic;
using CognitoDevice.LocalEndpoint.Quotas;

namespace CognitoDevice.LocalEndpoint.Protocol
{
    /// <summary>The pool-level operations: ListUsers and DescribeUserPool (SigV4, validated by the model first).</summary>
    internal static class PoolOperations
    {
        /// <summary>Page size when Limit is absent or 0 (Cognito's documented default for ListUsers is 60).</summary>
        public const int DefaultUserPageSize = 60;

        public static bool Handles(string operation) => operation == "ListUsers" || operation == "DescribeUserPool";

        public static byte[] Execute(CognitoState state, string operation, ValidatedInput input, bool exponent)
        {
            string poolId = input.GetString("UserPoolId")!;
            if (operation == "DescribeUserPool")
            {
                (UserPool pool, int estimated) = state.DescribeUserPool(poolId);
                return AwsJson.Write(w =>
                {
                    w.WriteStartObject();
                    w.WritePropertyName("UserPool");
                    w.WriteStartObject();
                    AwsJson.WriteString(w, "Id", pool.Id);
                    AwsJson.WriteString(w, "Name", "local-" + pool.Id);
                    AwsJson.WriteString(w, "Arn", "arn:aws:cognito-idp:" + pool.Region + ":000000000000:userpool/" + pool.Id);
                    w.WriteNumber("EstimatedNumberOfUsers", estimated);
                    AwsJson.WriteString(w, "DeletionProtection", "INACTIVE");
                    AwsJson.WriteString(w, "MfaConfiguration", "OFF");
                    if (pool.DeviceTrackingEnabled)
                    {
                        w.WritePropertyName("DeviceConfiguration");
                        w.WriteStartObject();
                        w.WriteBoolean("ChallengeRequiredOnNewDevice", false);
                        w.WriteBoolean("DeviceOnlyRememberedOnUserPrompt", false);
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                    w.WriteEndObject();
                });
            }

            int limit = input.GetInt32("Limit") ?? 0;
            if (limit == 0) limit = DefaultUserPageSize;
            UserFilter? filter = UserFilter.Parse(input.GetString("Filter"));
            IReadOnlyList<string>? attributesToGet = input.GetStringList("AttributesToGet");
            (IReadOnlyList<UserSnapshot> page, string? next) = state.ListUsers(poolId, limit, input.GetString("PaginationToken"), filter, attributesToGet);
            return AwsJson.Write(w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("Users");
                w.WriteStartArray();
                foreach (UserSnapshot u in page)
                {
                    w.WriteStartObject();
                    AwsJson.WriteString(w, "Username", u.Username);
                    w.WritePropertyName("Attributes");
                    w.WriteStartArray();
                    foreach (KeyValuePair<string, string> a in u.Attributes)
                    {
                        w.WriteStartObject();
                        AwsJson.WriteString(w, "Name", a.Key);
                        AwsJson.WriteString(w, "Value", a.Value);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WritePropertyName("UserCreateDate");
                    w.WriteRawValue(AwsJson.FormatTimestamp(u.UserCreateDate, exponent));
                    w.WritePropertyName("UserLastModifiedDate");
                    w.WriteRawValue(AwsJson.FormatTimestamp(u.UserCreateDate, exponent));
                    w.WriteBoolean("Enabled", u.Enabled);
                    AwsJson.WriteString(w, "UserStatus", u.UserStatus);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                if (next != null) AwsJson.WriteString(w, "PaginationToken", next);
                w.WriteEndObject();
            });
        }

        /// <summary>The per-user quota key of an Admin request (pool and user name), or null.</summary>
        public static string? UserKey(ValidatedInput input) =>
            input.GetString("UserPoolId") is string pool && input.GetString("Username") is string user ? pool + "\n" + user : null;

        internal static bool IsThrottled(QuotaDecision decision) => decision != QuotaDecision.Allowed;
    }
}
