"""Every AWS request checked against AWS's model of its operation before moto sees it.

moto accepts what AWS refuses (a borrow timeout of 301, a security group named sg-…), so a
request the CLI gets wrong passes in the sandbox and fails on a real account. This middleware
reads each signed request back into its operation's parameters with botocore's service models
(request_model/) and refuses a violation as AWS would: HTTP 400, code ValidationError, in the
protocol's error format, naming the operation and the member. Each violation is logged to
stderr and kept in a list: GET /_sandbox/violations reads it, DELETE /_sandbox/violations and
moto's reset (POST /moto-api/reset) empty it. Requests to /moto-api/ and unsigned requests pass
untouched.
"""

import io
import json
import sys
import threading

from werkzeug.wrappers import Request, Response

from .request_model.checks import check
from .request_model.error_response import error_response
from .request_model.read import read_request

VIOLATIONS_PATH = "/_sandbox/violations"
CODE = "ValidationError"


class Violations:
    def __init__(self):
        self._lock = threading.Lock()
        self._items = []

    def add(self, service, operation, message):
        with self._lock:
            self._items.append({"service": service, "operation": operation, "message": message})

    def all(self):
        with self._lock:
            return list(self._items)

    def clear(self):
        with self._lock:
            self._items.clear()


def wrap(app):
    violations = Violations()

    def validating_app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == VIOLATIONS_PATH:
            return _violations_endpoint(violations, method)(environ, start_response)
        if path.startswith("/moto-api/"):
            if path == "/moto-api/reset" and method == "POST":
                violations.clear()
            return app(environ, start_response)
        request = Request(environ)
        body = request.get_data()
        # moto reads the body again: hand it a fresh copy of what was read here.
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        found = read_request(environ, request, body)
        if found is None:
            return app(environ, start_response)
        messages = list(found.problems)
        if found.operation is not None:
            messages += check(found.service.service_name, found.operation, found.params)
        if not messages:
            return app(environ, start_response)
        operation = found.operation.name if found.operation is not None else None
        for message in messages:
            violations.add(found.service.service_name, operation, message)
            print(f"[sandbox] request refused by the model: {message}", file=sys.stderr, flush=True)
        status, headers, payload = error_response(
            found.service.protocol, found.service.metadata.get("xmlNamespace"), CODE, "; ".join(messages)
        )
        return Response(payload, status=status, headers=headers)(environ, start_response)

    return validating_app


def _violations_endpoint(violations, method):
    if method == "DELETE":
        violations.clear()
        return Response(status=204)
    if method == "GET":
        return Response(json.dumps({"violations": violations.all()}), mimetype="application/json")
    return Response(status=405, headers=[("Allow", "GET, DELETE")])
