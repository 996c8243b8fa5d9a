"""Drives the local Cognito endpoint with boto3/botocore (a real AWS client nobody here wrote).

Reads a JSON spec on stdin:
  {"endpoint": "http://127.0.0.1:PORT", "region": "us-east-1", "max_attempts": 1 (total attempts),
   "verify": null | false | "/path/ca.pem",
   "calls": [{"method": "list_devices", "params": {...}},
             {"method": "__paginate_admin_list_devices", "params": {...}},
             {"method": "get_device", "params": {...}, "credentials": {"access_key": ..., "secret_key": ..., "token": ...}},
             {"method": "__sign", "params": {"url": ..., "body": ..., "target": ..., "access_key": ..., "secret_key": ..., "token": ...}}]}
and prints one JSON result per call on stdout. Credentials come from the environment
(AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN) set by the test.
Every request goes to the explicit endpoint_url on 127.0.0.1.
"""
import datetime
import json
import sys
from urllib.parse import urlparse


def to_json(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return value.astimezone(datetime.timezone.utc).isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(type(value).__name__)


def main():
    spec = json.load(sys.stdin)
    endpoint = spec["endpoint"]
    host = urlparse(endpoint).hostname
    if host != "127.0.0.1":
        raise SystemExit("refusing to call a non-local endpoint: %r" % endpoint)

    import boto3
    import botocore
    from botocore.config import Config
    from botocore.exceptions import ClientError

    config = Config(
        # total_max_attempts counts the first attempt (botocore's max_attempts counts retries only).
        retries={"total_max_attempts": int(spec.get("max_attempts") or 1), "mode": "standard"},
        connect_timeout=5,
        read_timeout=20,
    )
    verify = spec.get("verify")
    session = boto3.session.Session()
    client = session.client(
        "cognito-idp",
        region_name=spec["region"],
        endpoint_url=endpoint,
        config=config,
        verify=True if verify is None else verify,
    )

    def client_for(call):
        creds = call.get("credentials")
        if not creds:
            return client
        return session.client(
            "cognito-idp",
            region_name=spec["region"],
            endpoint_url=endpoint,
            config=config,
            verify=True if verify is None else verify,
            aws_access_key_id=creds["access_key"],
            aws_secret_access_key=creds["secret_key"],
            aws_session_token=creds.get("token"),
        )

    results = []
    for call in spec["calls"]:
        method = call["method"]
        params = call.get("params") or {}
        c = client_for(call)
        try:
            if method == "__sign":
                results.append(sign(params))
                continue
            if method.startswith("__paginator_"):
                # botocore's own paginator (the model has one for list_users): follows PaginationToken itself.
                name = method[len("__paginator_"):]
                pages = [page for page in c.get_paginator(name).paginate(**params)]
                results.append({"ok": True, "pages": [[u["Username"] for u in p.get("Users", [])] for p in pages],
                                "users": [u for p in pages for u in p.get("Users", [])]})
                continue
            if method.startswith("__paginate_"):
                results.append(paginate(c, method[len("__paginate_"):], params))
                continue
            response = getattr(c, method)(**params)
            meta = response.pop("ResponseMetadata", {})
            results.append({
                "ok": True,
                "response": response,
                "status": meta.get("HTTPStatusCode"),
                "retryAttempts": meta.get("RetryAttempts"),
                "requestId": meta.get("RequestId"),
            })
        except ClientError as e:
            error = e.response.get("Error", {})
            meta = e.response.get("ResponseMetadata", {})
            code = error.get("Code")
            modeled = c.exceptions.from_code(code) is not ClientError if code else False
            results.append({
                "ok": False,
                "code": code,
                "message": error.get("Message"),
                "status": meta.get("HTTPStatusCode"),
                "retryAttempts": meta.get("RetryAttempts"),
                "exceptionClass": type(e).__name__,
                "modeled": modeled,
                "isModeledClass": isinstance(e, c.exceptions.from_code(code)) if code else False,
            })
        except Exception as e:  # transport / parsing errors
            results.append({"ok": False, "exceptionClass": type(e).__name__, "message": str(e)})
    sys.stdout.write(json.dumps(results, default=to_json))


def paginate(client, method, params):
    """Follows PaginationToken by hand (the model has no paginator for devices)."""
    pages = []
    token = None
    while True:
        kwargs = dict(params)
        if token:
            kwargs["PaginationToken"] = token
        response = getattr(client, method)(**kwargs)
        pages.append([d["DeviceKey"] for d in response.get("Devices", [])])
        token = response.get("PaginationToken")
        if not token:
            return {"ok": True, "pages": pages}
        if len(pages) > 1000:
            raise RuntimeError("pagination does not end")


def sign(params):
    """Signs a request with botocore's SigV4Auth and returns the headers it produced."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(
        method="POST",
        url=params["url"],
        data=params["body"].encode("utf-8"),
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": params["target"],
        },
    )
    credentials = Credentials(params["access_key"], params["secret_key"], params.get("token"))
    SigV4Auth(credentials, "cognito-idp", params["region"]).add_auth(request)
    return {
        "ok": True,
        "authorization": request.headers["Authorization"],
        "amzDate": request.headers["X-Amz-Date"],
        "securityToken": request.headers.get("X-Amz-Security-Token"),
    }


if __name__ == "__main__":
    main()
