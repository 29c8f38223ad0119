"""Which service and operation a request calls, and its parameters, read by the service's model.

The service is the one the request is signed for (the SigV4 credential scope), since every
service shares the sandbox's endpoint. The operation is `Action=` for the query protocols,
the X-Amz-Target header for JSON 1.1, and the method and path for REST-JSON. A request that
is not signed, or signed for a service botocore has no model of, is not read (None).
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qsl

import botocore.session
from botocore.exceptions import UnknownServiceError

from .json_wire import BadJson, from_json, parse_body
from .query_wire import read_form
from .rest_wire import find_operation, raw_path, read_rest

_SESSION = botocore.session.get_session()
_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/[^/]+/([^/]+)/aws4_request")
_SCOPE_PARAM = re.compile(r"^[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request$")


@dataclass
class AwsRequest:
    service: object
    operation: object = None
    params: dict = field(default_factory=dict)
    # What the wire format itself gets wrong: no such operation, fields the model has no place for.
    problems: list = field(default_factory=list)


def read_request(environ, request, body):
    name = _signing_name(request)
    service = _service_model(name) if name else None
    if service is None:
        return None
    found = AwsRequest(service)
    try:
        if service.protocol in ("query", "ec2"):
            _read_query(found, request, body)
        elif service.protocol == "json":
            _read_json(found, request, body)
        elif service.protocol == "rest-json":
            _read_rest_json(found, environ, request, body)
        else:
            return None
    except BadJson as err:
        found.problems.append(f"{_label(found)}: {err}")
    return found


def _read_query(found, request, body):
    fields = dict(request.args.items())
    fields.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    action = fields.get("Action")
    if action not in found.service.operation_names:
        found.problems.append(f"{found.service.service_name}: Action {action!r} is not an operation of the model")
        return
    found.operation = found.service.operation_model(action)
    if fields.get("Version") != found.service.api_version:
        found.problems.append(f"{action}: Version {fields.get('Version')!r} is not the model's {found.service.api_version}")
    found.params, unknown = read_form(fields, found.operation.input_shape, ec2=found.service.protocol == "ec2")
    found.problems += [f"{action}: {key} is not a parameter of the model" for key in unknown]


def _read_json(found, request, body):
    target = request.headers.get("X-Amz-Target", "")
    prefix, _, action = target.partition(".")
    if prefix != found.service.metadata.get("targetPrefix") or action not in found.service.operation_names:
        found.problems.append(f"{found.service.service_name}: X-Amz-Target {target!r} is not an operation of the model")
        return
    found.operation = found.service.operation_model(action)
    shape = found.operation.input_shape
    data = parse_body(body)
    found.params = from_json(data, shape) if shape is not None else data


def _read_rest_json(found, environ, request, body):
    path = raw_path(environ, request.path)
    found.operation, labels = find_operation(found.service, request.method, path, request.args)
    if found.operation is None:
        found.problems.append(f"{found.service.service_name}: {request.method} {path} matches no operation of the model")
        return
    found.params, unknown = read_rest(found.operation, labels, request.args, request.headers, body)
    found.problems += [f"{found.operation.name}: {key} is not a parameter of the model" for key in unknown]


def _label(found):
    return found.operation.name if found.operation is not None else found.service.service_name


def _signing_name(request):
    match = _SCOPE.search(request.headers.get("Authorization", ""))
    if match is None:
        match = _SCOPE_PARAM.match(request.args.get("X-Amz-Credential", ""))
    return match.group(1) if match else None


@lru_cache(maxsize=None)
def _service_model(signing_name):
    try:
        model = _SESSION.get_service_model(signing_name)
    except UnknownServiceError:
        return None
    return model if model.signing_name == signing_name else None
