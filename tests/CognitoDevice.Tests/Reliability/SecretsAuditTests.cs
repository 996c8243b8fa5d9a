using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Configuration;
using CognitoDevice.Errors;
using CognitoDevice.LocalEndpoint;
using CognitoDevice.Operations;
using CognitoDevice.Tests.EndToEnd;
using CognitoDevice.Validation;
using Xunit;

namespace CognitoDevice.Tests.Reliability
{
    /// <summary>
    /// One audit over every path the cmdlets take (success, every error code, retries, verbose, the ShouldProcess
    /// target for -WhatIf, validation failures, configuration failures) with the secrets in play — the access
    /// token, the secret key and the session token — and a scan of everything the module produced.
    /// </summary>
    public sealed class SecretsAuditTests
    {
        private readonly StringBuilder _captured = new();

        private void Capture(object? o)
        {
            switch (o)
            {
                case null: return;
                case string s: _captured.AppendLine(s); return;
                case Exception ex:
                    _captured.AppendLine(ex.ToString());
                    if (ex is CognitoDeviceException c)
                    {
                        _captured.AppendLine(c.ErrorCode).AppendLine(ErrorCatalog.RecommendedActionFor(c.ErrorCode)).AppendLine(c.RequestId);
                    }
                    foreach (System.Collections.DictionaryEntry e in ex.Data) _captured.AppendLine($"{e.Key}={e.Value}");
                    return;
                default:
                    foreach (PropertyInfo p in o.GetType().GetProperties())
                    {
                        object? v = p.GetValue(o);
                        _captured.AppendLine(v is System.Collections.IEnumerable e && v is not string ? string.Join(",", e.Cast<object>()) : v?.ToString());
                    }
                    _captured.AppendLine(o.ToString());
                    return;
            }
        }

        private async Task Run(Func<Task<object>> call)
        {
            try
            {
                Capture(await call());
            }
            catch (Exception ex)
            {
                Assert.True(ex is CognitoDeviceException || ex is OperationCanceledException, "unexpected exception type " + ex.GetType());
                Capture(ex);
            }
        }

        [Fact]
        public async Task No_secret_reaches_any_output_message_or_exception()
        {
            await using var cognito = await LocalCognito.StartAsync();
            var s = new Scenario(cognito, devices: 12);
            string token = s.Token;
            string secret = cognito.SessionCredentials.SecretAccessKey;
            string sessionToken = cognito.SessionCredentials.SessionToken!;
            var verbose = new List<string>();
            Action<string> sink = m => { lock (verbose) verbose.Add(m); };
            DeviceSession T() => s.Session(delayScale: 0.001);
            DeviceSession A() => s.Session(admin: true, credential: cognito.SessionCredentials, delayScale: 0.001);
            string K(int i) => s.Devices[i].DeviceKey;

            // Success paths, both sets, every operation.
            await Run(async () => await T().GetDeviceAsync(s.TokenTarget(K(0)), sink, CancellationToken.None));
            await Run(async () => await A().GetDeviceAsync(s.AdminTarget(K(0)), sink, CancellationToken.None));
            await Run(async () => await T().ListDevicesPageAsync(null, null, null, 5, null, sink, CancellationToken.None));
            await Run(async () => await A().ListDevicesPageAsync(null, s.Pool.Id, s.User.Username, 5, null, sink, CancellationToken.None));
            await Run(async () => await T().UpdateDeviceStatusAsync(s.TokenTarget(K(1)), "not_remembered", sink, CancellationToken.None));
            await Run(async () => await A().UpdateDeviceStatusAsync(s.AdminTarget(K(1)), "remembered", sink, CancellationToken.None));
            await Run(async () => await T().ForgetDeviceAsync(s.TokenTarget(K(2)), sink, CancellationToken.None));
            await Run(async () => await A().ForgetDeviceAsync(s.AdminTarget(K(3)), sink, CancellationToken.None));

            // Retries (verbose) and every fault.
            foreach (FaultRule rule in new[]
            {
                FaultRule.Throttle(3, "ForgetDevice"), FaultRule.InternalError(3, "ForgetDevice"), FaultRule.DropBeforeProcessing(3, "ForgetDevice"),
                FaultRule.TruncatedBody(1, "ForgetDevice"), FaultRule.GarbageBody(1, "ForgetDevice"),
                FaultRule.Status(502, "<html>echo " + token + " " + secret + "</html>", "text/html", 3, "ForgetDevice"),
                FaultRule.Status(400, "{\"__type\":\"InvalidParameterException\",\"message\":\"Value '" + token + "' is bad\"}", "application/x-amz-json-1.1", 1, "ForgetDevice"),
            })
            {
                cognito.Faults.Add(rule);
                await Run(async () => await T().ForgetDeviceAsync(s.TokenTarget(K(4)), sink, CancellationToken.None));
                cognito.Faults.Clear();
            }
            cognito.Faults.Add(FaultRule.Throttle(3, "AdminForgetDevice"));
            await Run(async () => await A().ForgetDeviceAsync(s.AdminTarget(K(5)), sink, CancellationToken.None));
            cognito.Faults.Clear();

            // Every service error code the endpoint produces.
            await Run(async () => await T().ForgetDeviceAsync(s.TokenTarget("us-east-1_00000000-dead-beef-0000-000000000000"), sink, CancellationToken.None));
            await Run(async () => await new Scenario(cognito).Session().ForgetDeviceAsync(s.TokenTarget(K(6)), sink, CancellationToken.None)); // another user's device
            var expired = cognito.State.IssueAccessToken(s.User, TimeSpan.FromSeconds(-1));
            await Run(async () => await Token(cognito, expired).ForgetDeviceAsync(s.TokenTarget(K(6)), sink, CancellationToken.None));
            await Run(async () => await Token(cognito, token + "x").ForgetDeviceAsync(s.TokenTarget(K(6)), sink, CancellationToken.None));
            foreach (UserState state in new[] { UserState.Unconfirmed, UserState.ResetRequired, UserState.Disabled })
            {
                var u = cognito.State.CreateUser(s.Pool, "audit-" + state, state);
                cognito.State.AddDevice(u);
                await Run(async () => await Token(cognito, cognito.State.IssueAccessToken(u)).ForgetDeviceAsync(s.TokenTarget(K(6)), sink, CancellationToken.None));
            }
            await Run(async () => await A().ForgetDeviceAsync(new DeviceTarget(K(6), s.Pool.Id, "nobody"), sink, CancellationToken.None));
            await Run(async () => await A().ForgetDeviceAsync(new DeviceTarget(K(6), "us-east-1_NoSuchPool", "nobody"), sink, CancellationToken.None));
            await Run(async () => await s.Session(admin: true, credential: new TestCredential(cognito.SessionCredentials.AccessKeyId, secret + "wrong", sessionToken))
                .ForgetDeviceAsync(s.AdminTarget(K(6)), sink, CancellationToken.None));
            await Run(async () => await s.Session(admin: true, credential: cognito.DeniedCredentials).ForgetDeviceAsync(s.AdminTarget(K(6)), sink, CancellationToken.None));
            s.Pool.WafBlocksRequests = true;
            await Run(async () => await T().ForgetDeviceAsync(s.TokenTarget(K(6)), sink, CancellationToken.None));
            s.Pool.WafBlocksRequests = false;
            s.Pool.DeviceTrackingEnabled = false;
            await Run(async () => await T().ForgetDeviceAsync(s.TokenTarget(K(6)), sink, CancellationToken.None));
            s.Pool.DeviceTrackingEnabled = true;
            using (var cts = new CancellationTokenSource(50))
            {
                cognito.Faults.Add(FaultRule.Delay(TimeSpan.FromSeconds(5), 1, "ForgetDevice"));
                await Run(async () => await T().ForgetDeviceAsync(s.TokenTarget(K(7)), sink, cts.Token));
                cognito.Faults.Clear();
            }

            // Configuration failures with the token in play.
            await Run(async () => await Token(cognito, token, "http://cognito.example.com/").ForgetDeviceAsync(s.TokenTarget(K(8)), sink, CancellationToken.None));
            await Run(() => Task.FromResult<object>(CognitoSettings.Load("http://user:" + secret + "@127.0.0.1/", null, _ => null, null)));

            // -WhatIf / -Confirm: the ShouldProcess target and action.
            Capture(s.TokenTarget(K(9)).Description);
            Capture(s.AdminTarget(K(9)).Description);

            // Validation failures of -AccessToken as a user pastes it.
            foreach (string pasted in new[] { "Bearer " + token, token + "\n", " " + token, "\"" + token + "\"", token.Replace('.', '/'), token + "é" })
            {
                Capture(InputRules.DescribeAccessTokenProblem(pasted));
            }

            foreach (string m in verbose) Capture(m);
            string all = _captured.ToString();

            Assert.Contains("InvalidSignatureException", all);   // the audit really covered the error paths
            Assert.Contains("TooManyRequestsException", all);
            Assert.Contains("retrying in", all);
            Assert.Contains("InsecureEndpoint", all);
            Assert.True(verbose.Count > 10);
            string[] parts = token.Split('.');
            foreach ((string name, string value) in new[]
            {
                ("access token", token), ("token payload", parts[1]), ("token signature", parts[2]),
                ("secret key", secret), ("session token", sessionToken),
            })
            {
                Assert.False(all.Contains(value, StringComparison.Ordinal), $"The {name} appeared in the module's output.");
            }
        }

        private static DeviceSession Token(LocalCognito cognito, string token, string? endpoint = null)
        {
            var settings = CognitoSettings.Load(endpoint ?? cognito.Url.ToString(), null, _ => null, null);
            var client = new CognitoDevice.Protocol.CognitoClient(CognitoDevice.Runtime.ModuleRuntime.Http, new CognitoDevice.Protocol.RetryStrategy(1, new CognitoDevice.Protocol.RetryQuota()), "audit");
            return new DeviceSession(settings, client, token, () => throw new InvalidOperationException());
        }
    }
}
