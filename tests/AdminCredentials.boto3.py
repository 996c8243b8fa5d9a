"""Cross-check for tests/AdminCredentials.Tests.ps1: boto3 resolves credentials from the same AWS_CONFIG_FILE,
AWS_SHARED_CREDENTIALS_FILE, HOME (SSO cache) and environment as the module, then lists the user's devices with
AdminListDevices at the local endpoint. Every endpoint is loopback: the Cognito URL is passed in, STS and the SSO
portal come from AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_SSO. Prints one JSON line: {"keys": [...]} or {"error": code}.
Never prints a credential."""
import json
import os
import socket
import sys

# Network rule: loopback only. Should this botocore ignore AWS_ENDPOINT_URL_STS / _SSO (they came in botocore 1.31),
# the cross-check fails here instead of resolving a real AWS host.
_getaddrinfo = socket.getaddrinfo


def _loopback_only(host, *args, **kwargs):
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise OSError("cross-check refused to resolve non-loopback host " + str(host))
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _loopback_only

import boto3
import botocore.exceptions
import botocore.session

# botocore before 1.31 (Debian bookworm has 1.29) ignores AWS_ENDPOINT_URL_STS / _SSO: hand the same loopback
# endpoints to the STS and SSO clients its credential providers create (newer botocore reads the variables itself).
_create_client = botocore.session.Session.create_client


def _create_client_with_local_endpoints(self, service_name, *args, **kwargs):
    variable = {"sts": "AWS_ENDPOINT_URL_STS", "sso": "AWS_ENDPOINT_URL_SSO"}.get(service_name)
    if variable and os.environ.get(variable) and not args and not kwargs.get("endpoint_url"):
        kwargs["endpoint_url"] = os.environ[variable]
    return _create_client(self, service_name, *args, **kwargs)


botocore.session.Session.create_client = _create_client_with_local_endpoints

# The test runner clears a variable by setting it empty; botocore would read AWS_PROFILE="" as a profile named "".
for name in [n for n, v in os.environ.items() if n.startswith("AWS_") and v == ""]:
    del os.environ[name]

endpoint, pool_id, username = sys.argv[1], sys.argv[2], sys.argv[3]
profile = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] else None
try:
    session = boto3.session.Session(profile_name=profile, region_name="us-east-1")
    client = session.client("cognito-idp", endpoint_url=endpoint)
    answer = client.admin_list_devices(UserPoolId=pool_id, Username=username, Limit=60)
    print(json.dumps({"keys": sorted(d["DeviceKey"] for d in answer.get("Devices", []))}))
except botocore.exceptions.BotoCoreError as e:  # no credentials, SSO token expired, ...
    print(json.dumps({"error": type(e).__name__}))
except botocore.exceptions.ClientError as e:
    print(json.dumps({"error": e.response.get("Error", {}).get("Code", "ClientError")}))
