"""Parameters checked against an operation's input shape, as AWS checks them.

botocore's ParamValidator (what boto3 runs before sending) checks required and unknown
members, types, and minimum lengths and values. AWS also enforces the model's maximums,
enums and patterns; this validator adds them, and the documented limits the model omits.
Patterns are Java regular expressions (the `regex` module reads their \\p{L} classes) and
must match the whole value, as AWS's "failed to satisfy constraint: Member must satisfy
regular expression pattern" refusals show for unanchored patterns such as IAM's [\\w+=,.@-]+.
"""

from functools import lru_cache

import regex
from botocore.validate import ParamValidator, ValidationErrors

from .documented_limits import limits_for

# Reasons whose `param` is the value itself, which a sensitive member must not show.
_VALUE_REASONS = {"invalid type", "not in enum", "pattern mismatch", "documented rule", "invalid range", "above maximum"}
_TYPE_WORDS = {"str": "a string", "int": "an integer", "bool": "a boolean", "float": "a number", "Decimal": "a number",
               "dict": "an object", "list": "a list", "tuple": "a list", "datetime": "a timestamp"}


def check(service_name, operation, params):
    """Messages for every way `params` break the operation's model, each starting with the operation."""
    if operation.input_shape is None:
        return [f"{operation.name}: {name} is not a parameter (the operation takes none)" for name in params]
    errors = _Problems()
    ModelValidator(service_name)._validate(params, operation.input_shape, errors, "")
    return [f"{operation.name}: {message}" for message in errors.messages()]


class ModelValidator(ParamValidator):
    VALIDATED_METADATA_ATTRS = ParamValidator.VALIDATED_METADATA_ATTRS | {"max", "enum", "pattern"}

    def __init__(self, service_name):
        self._limits = limits_for(service_name)

    def _validate(self, params, shape, errors, name):
        if shape.metadata.get("sensitive"):
            errors = errors.redacted()
        super()._validate(params, shape, errors, name)

    def _validate_structure(self, params, shape, errors, name):
        super()._validate_structure(params, shape, errors, name)
        if not isinstance(params, dict):
            return
        for member, value in params.items():
            limit = self._limits.get((shape.name, member))
            if limit is not None:
                member_errors = errors.redacted() if shape.members[member].metadata.get("sensitive") else errors
                _check_documented(limit, value, member_errors, f"{name}.{member}")

    def _validate_string(self, param, shape, errors, name):
        super()._validate_string(param, shape, errors, name)
        if not isinstance(param, str):
            return
        _check_max(len(param), shape.metadata, errors, name, "too long")
        if shape.enum and param not in shape.enum:
            errors.report(name, "not in enum", param=param, enum=shape.enum)
        pattern = shape.metadata.get("pattern")
        if pattern is not None and not _compiled(pattern).fullmatch(param):
            errors.report(name, "pattern mismatch", param=param, pattern=pattern)

    def _validate_list(self, param, shape, errors, name):
        super()._validate_list(param, shape, errors, name)
        if isinstance(param, (list, tuple)):
            _check_max(len(param), shape.metadata, errors, name, "too many")

    def _validate_map(self, param, shape, errors, name):
        super()._validate_map(param, shape, errors, name)
        if isinstance(param, dict):
            if len(param) < shape.metadata.get("min", 0):
                errors.report(name, "too few", param=len(param), min_allowed=shape.metadata["min"])
            _check_max(len(param), shape.metadata, errors, name, "too many")

    def _validate_integer(self, param, shape, errors, name):
        super()._validate_integer(param, shape, errors, name)
        if isinstance(param, int):
            _check_max(param, shape.metadata, errors, name, "above maximum")

    def _validate_long(self, param, shape, errors, name):
        super()._validate_long(param, shape, errors, name)
        if isinstance(param, int):
            _check_max(param, shape.metadata, errors, name, "above maximum")

    def _validate_double(self, param, shape, errors, name):
        super()._validate_double(param, shape, errors, name)
        if isinstance(param, (int, float)):
            _check_max(param, shape.metadata, errors, name, "above maximum")

    _validate_float = _validate_double


def _check_max(value, metadata, errors, name, reason):
    if "max" in metadata and value > metadata["max"]:
        errors.report(name, reason, param=value, max_allowed=metadata["max"])


def _check_documented(limit, value, errors, name):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if limit.minimum is not None and value < limit.minimum:
            errors.report(name, "invalid range", param=value, min_allowed=limit.minimum, source=limit.source)
        if limit.maximum is not None and value > limit.maximum:
            errors.report(name, "above maximum", param=value, max_allowed=limit.maximum, source=limit.source)
    if isinstance(value, str):
        if limit.max_length is not None and len(value) > limit.max_length:
            errors.report(name, "too long", param=len(value), max_allowed=limit.max_length, source=limit.source)
        if limit.pattern is not None and not _compiled(limit.pattern).fullmatch(value):
            errors.report(name, "documented rule", param=value, rule=limit.rule, source=limit.source)


@lru_cache(maxsize=None)
def _compiled(pattern):
    return regex.compile(pattern)


class _Problems(ValidationErrors):
    """botocore's error list, worded for a person: path, value, and the limit it breaks."""

    def messages(self):
        return [self._format_error(error) for error in self._errors]

    def redacted(self):
        return _Redacted(self)

    def _format_error(self, error):
        reason, name, details = error
        path = self._get_name(name)
        value = details.get("param")
        shown = "(sensitive value)" if value is _HIDDEN else repr(value) if isinstance(value, str) else value
        source = f" ({details['source']})" if "source" in details else ""
        if reason == "missing required field":
            return f"{_join(name, details['required_name'])} is required"
        if reason == "unknown field":
            known = ", ".join(details["valid_names"][:12]) + (", …" if len(details["valid_names"]) > 12 else "")
            return f"{_join(name, details['unknown_param'])} is not a member of the model (known: {known})"
        if reason == "invalid type":
            expected = " or ".join(dict.fromkeys(_TYPE_WORDS.get(_type_name(t), t) for t in details["valid_types"]))
            return f"{path} {shown} is not {expected}"
        if reason == "invalid range":
            return f"{path} {shown} is below the minimum {details['min_allowed']}{source}"
        if reason == "above maximum":
            return f"{path} {shown} is above the maximum {details['max_allowed']}{source}"
        if reason == "invalid length":
            return f"{path} has length {value}, below the minimum {details['min_allowed']}"
        if reason == "too long":
            return f"{path} has length {value}, above the maximum {details['max_allowed']}{source}"
        if reason == "too few":
            return f"{path} has {value} entries, below the minimum {details['min_allowed']}"
        if reason == "too many":
            return f"{path} has {value} entries, above the maximum {details['max_allowed']}"
        if reason == "not in enum":
            allowed = ", ".join(details["enum"][:20]) + (", …" if len(details["enum"]) > 20 else "")
            return f"{path} {shown} is not one of {allowed}"
        if reason == "pattern mismatch":
            return f"{path} {shown} does not match the pattern {details['pattern']}"
        if reason == "documented rule":
            return f"{path} {shown} breaks the rule: {details['rule']}{source}"
        return super()._format_error(error)


_HIDDEN = object()


class _Redacted:
    """Reports into the same list with the value itself hidden."""

    def __init__(self, problems):
        self._problems = problems

    def redacted(self):
        return self

    def report(self, name, reason, **details):
        if reason in _VALUE_REASONS:
            details["param"] = _HIDDEN
        self._problems.report(name, reason, **details)


def _join(name, member):
    return f"{name[1:]}.{member}" if name.startswith(".") else f"{name}.{member}" if name else member


def _type_name(valid_type):
    # botocore names types as str(type): "<class 'int'>", "<class 'decimal.Decimal'>".
    return valid_type.rsplit(".", 1)[-1].strip("<>'").replace("class '", "")
