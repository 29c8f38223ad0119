"""JSON bodies (JSON 1.1, and REST-JSON's body) read back into parameters.

The inverse of botocore's JSONSerializer: JSON already carries types, so only member names
that the model serialises under another name (`locationName`) are mapped back. Keys the shape
does not know are kept as they are, for the checks to report.
"""

import json


class BadJson(ValueError):
    pass


def parse_body(body):
    """The decoded JSON object of a body; an empty body is an empty object."""
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except ValueError as err:
        raise BadJson(f"the body is not JSON ({err})") from err
    if not isinstance(data, dict):
        raise BadJson("the body is not a JSON object")
    return data


def from_json(value, shape):
    """A JSON value as the parameters of `shape`, member names as the model names them."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict) and not shape.is_document_type:
        by_wire_name = {m.serialization.get("name", n): n for n, m in shape.members.items()}
        params = {}
        for key, item in value.items():
            name = by_wire_name.get(key)
            params[name or key] = from_json(item, shape.members[name]) if name else item
        return params
    if kind == "list" and isinstance(value, list):
        return [from_json(item, shape.member) for item in value]
    if kind == "map" and isinstance(value, dict):
        return {key: from_json(item, shape.value) for key, item in value.items()}
    return value
