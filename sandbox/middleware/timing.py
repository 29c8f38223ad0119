"""What benchmarks measure the CLI by: every AWS request the sandbox answered, and the timing mode's
timelines (sandbox/additions/timing.py), served as JSON at GET /_sandbox/timing:

    {"factor": 0.05, "seconds": {"cluster-create": 60, ...},
     "resources": [{"kind": "cluster", "id": "demo-cluster", "phase": "create", "started": t, "done": t}],
     "requests": [{"received": t, "t": t, "done": t, "service": "rds", "action": "DescribeDBClusters",
                   "ids": {"DBClusterIdentifier": "demo-cluster"}, "status": 200}]}

Times are seconds since the epoch on the sandbox's clock: a request was received, handled by moto
(`t`, when the state it reports was read) and answered (`done`).
SANDBOX_LATENCY_MS=<n> delays every AWS request by n ms, as a far-away endpoint would, so that
rounds of dependent requests show in wall time. POST /moto-api/reset empties the log too.
"""

import json
import os
import re
import time
from collections import deque
from io import BytesIO
from urllib.parse import parse_qs

from additions import timing

# The resource a request names, for the RDS actions the benchmarks follow.
ID_PARAMS = ("DBClusterIdentifier", "DBInstanceIdentifier", "DBProxyName")
CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/")

_requests: deque = deque(maxlen=200_000)


def _body(environ) -> bytes:
    """Reads the request body and puts it back for moto."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = BytesIO(body)
    return body


def _request(environ) -> dict:
    """Service, action and named resource of one AWS request (query, JSON and REST protocols)."""
    scope = CREDENTIAL_SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    service = scope.group(1) if scope else "unknown"
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    body = _body(environ)
    form = parse_qs(body.decode("utf-8", "replace")) if b"Action=" in body else {}
    if "Action" in form:
        action = form["Action"][0]
    elif target:
        action = target.split(".")[-1]
    else:
        action = f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}"
    ids = {name: form[name][0] for name in ID_PARAMS if name in form}
    return {"service": service, "action": action, "ids": ids}


def _serve(start_response):
    report = {
        "factor": timing.factor(),
        "seconds": timing.SECONDS,
        "resources": timing.report(),
        "requests": list(_requests),
    }
    body = json.dumps(report).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def wrap(app):
    latency = float(os.environ.get("SANDBOX_LATENCY_MS") or 0) / 1000

    def middleware(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/_sandbox/timing":
            return _serve(start_response)
        if path.startswith("/moto-api"):
            if path == "/moto-api/reset":
                _requests.clear()
                timing.reset()
            return app(environ, start_response)
        received = time.time()
        entry = _request(environ)
        entry["received"] = received
        if latency:
            time.sleep(latency)
        entry["t"] = time.time()

        def recording_status(status, headers, exc_info=None):
            entry["status"] = int(status.split()[0])
            return start_response(status, headers, exc_info)

        result = app(environ, recording_status)
        entry["done"] = time.time()
        _requests.append(entry)
        return result

    return middleware
