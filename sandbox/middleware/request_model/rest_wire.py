"""REST-JSON requests (Lambda) matched to their operation and read back into parameters.

The operation is the one whose HTTP method and `requestUri` template match the request; the
most literal template wins (`/functions/{Name}/configuration` over `/functions/{Name}`, and
`/provisioned-concurrency?List=ALL` over `/provisioned-concurrency`).
Members bound to the URI, the query string or headers are read from there and converted by
their shape's type; the rest come from the JSON body, or the body is the `payload` member.
"""

import re
from functools import lru_cache
from urllib.parse import quote, unquote

from .json_wire import from_json, parse_body
from .query_wire import convert

_LABEL = re.compile(r"\{([^}]+)\}")


def find_operation(service, method, raw_path, args):
    """The operation model the request's method, path and literal query match, or None."""
    best = None
    for route in _routes(service):
        if route.method != method or not all(k in args and (v is None or args.get(k) == v) for k, v in route.query):
            continue
        match = route.path.fullmatch(raw_path)
        if match and (best is None or route.literal_length > best[0].literal_length):
            best = (route, match)
    if best is None:
        return None, {}
    route, match = best
    labels = {route.labels[group]: unquote(value) for group, value in match.groupdict().items()}
    return service.operation_model(route.operation), labels


def read_rest(operation, labels, args, headers, body):
    """Returns (params, names the request sends that the operation has no place for)."""
    shape = operation.input_shape
    if shape is None:
        return {}, sorted(args)
    params, unknown, used_args = {}, [], set()
    literal_query = {k for k, _ in _split_query(operation.http["requestUri"])}
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if location == "uri" and wire in labels:
            params[name] = convert(labels[wire], member.type_name)
        elif location == "querystring" and member.type_name == "map":
            rest = {k: v for k, v in args.items() if k not in literal_query and k not in _query_names(shape)}
            if rest:
                params[name] = rest
                used_args.update(rest)
        elif location == "querystring" and wire in args:
            used_args.add(wire)
            if member.type_name == "list":
                params[name] = [convert(v, member.member.type_name) for v in args.getlist(wire)]
            else:
                params[name] = convert(args.get(wire), member.type_name)
        elif location == "header" and wire in headers:
            value = headers.get(wire)
            params[name] = [v.strip() for v in value.split(",")] if member.type_name == "list" else convert(value, member.type_name)
        elif location == "headers":
            found = {h[len(wire):]: v for h, v in headers.items() if h.lower().startswith(wire.lower())}
            if found:
                params[name] = found
    unknown += sorted(k for k in args if k not in used_args and k not in literal_query)
    payload = shape.serialization.get("payload")
    if payload is not None:
        member = shape.members[payload]
        if body and member.type_name == "structure":
            params[payload] = from_json(parse_body(body), member)
        elif body:
            params[payload] = body if member.type_name == "blob" else body.decode("utf-8", "replace")
    else:
        located = {m.serialization.get("name", n) for n, m in shape.members.items() if "location" in m.serialization}
        data = parse_body(body)
        unknown += sorted(f"body member {k} (sent in the URI, query or headers)" for k in data if k in located)
        params.update(from_json({k: v for k, v in data.items() if k not in located}, shape))
    return params, unknown


def raw_path(environ, path):
    """The path as sent (percent-encoded), so a label holding %2F stays one label."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or quote(path)
    return raw.split("?", 1)[0]


class _Route:
    def __init__(self, operation, http):
        path, _, _ = http["requestUri"].partition("?")
        self.operation = operation
        self.method = http.get("method", "POST")
        self.query = _split_query(http["requestUri"])
        self.labels = {}
        pattern, last = "", 0
        for index, label in enumerate(_LABEL.finditer(path)):
            group = f"g{index}"
            name = label.group(1)
            self.labels[group] = name.rstrip("+")
            pattern += re.escape(path[last:label.start()]) + (f"(?P<{group}>.+)" if name.endswith("+") else f"(?P<{group}>[^/]+)")
            last = label.end()
        pattern += re.escape(path[last:])
        self.path = re.compile(pattern)
        # Literal query parameters count too: `?List=ALL` singles out ListProvisionedConcurrencyConfigs.
        self.literal_length = len(_LABEL.sub("", path)) + sum(len(k) + len(v or "") for k, v in self.query)


@lru_cache(maxsize=None)
def _routes(service):
    return [_Route(name, service.operation_model(name).http) for name in service.operation_names]


def _split_query(request_uri):
    _, _, query = request_uri.partition("?")
    pairs = []
    for part in filter(None, query.split("&")):
        key, equals, value = part.partition("=")
        pairs.append((key, value if equals else None))
    return pairs


def _query_names(shape):
    return {m.serialization.get("name", n) for n, m in shape.members.items() if m.serialization.get("location") == "querystring"}
