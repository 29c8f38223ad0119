"""Form fields of the query protocols (RDS, IAM, STS; EC2's variant) read back into parameters.

The inverse of botocore's QuerySerializer and EC2Serializer: a structure member is
`Prefix.Name`, a list `Name.member.N` (query; `Name.N` when flattened or on EC2), a map
`Name.entry.N.key/value`. Everything arrives as a string, so scalars are converted by the
type the shape gives. EC2 names members by `queryName`, else by its capitalised `locationName`.
"""

import re

MISSING = object()


def read_form(fields, shape, ec2):
    """Returns (params, names of fields the shape has no place for)."""
    reader = _FormReader(fields, ec2)
    params = reader.structure(shape, "") if shape is not None else {}
    unknown = sorted(set(fields) - reader.used - {"Action", "Version"})
    return params, unknown


def convert(text, type_name):
    """A string from the wire as the type the model gives; left a string when it is not one."""
    if type_name in ("integer", "long") and re.fullmatch(r"-?\d+", text):
        return int(text)
    if type_name == "boolean" and text in ("true", "false"):
        return text == "true"
    if type_name in ("float", "double"):
        try:
            return float(text)
        except ValueError:
            return text
    return text


def _join(prefix, name):
    return f"{prefix}.{name}" if prefix else name


class _FormReader:
    def __init__(self, fields, ec2):
        self.fields = fields
        self.ec2 = ec2
        self.used = set()

    def read(self, shape, key):
        kind = shape.type_name
        if kind == "structure":
            return self.structure(shape, key) if self._has_children(key) else MISSING
        if kind == "list":
            return self.list(shape, key)
        if kind == "map":
            return self.map(shape, key)
        if key not in self.fields:
            return MISSING
        self.used.add(key)
        return convert(self.fields[key], kind)

    def structure(self, shape, prefix):
        params = {}
        for name, member in shape.members.items():
            value = self.read(member, _join(prefix, self._wire_name(member, name)))
            if value is not MISSING:
                params[name] = value
        return params

    def list(self, shape, key):
        if self.fields.get(key) == "":
            # An empty list is sent as the bare name with no value.
            self.used.add(key)
            return []
        items_prefix = self._list_items_prefix(shape, key)
        return self._items(shape.member, items_prefix) or MISSING

    def map(self, shape, key):
        flattened = self.ec2 or shape.serialization.get("flattened")
        entries_prefix = key if flattened else f"{key}.entry"
        key_name = shape.key.serialization.get("name", "key")
        value_name = shape.value.serialization.get("name", "value")
        params = {}
        for index in self._indices(entries_prefix):
            entry = f"{entries_prefix}.{index}"
            map_key = self.read(shape.key, f"{entry}.{key_name}")
            value = self.read(shape.value, f"{entry}.{value_name}")
            params[map_key if map_key is not MISSING else ""] = None if value is MISSING else value
        return params or MISSING

    def _items(self, member, items_prefix):
        items = []
        for index in self._indices(items_prefix):
            value = self.read(member, f"{items_prefix}.{index}")
            items.append(None if value is MISSING else value)
        return items

    def _list_items_prefix(self, shape, key):
        if self.ec2:
            return key
        if shape.serialization.get("flattened"):
            name = shape.member.serialization.get("name")
            return ".".join(key.split(".")[:-1] + [name]) if name else key
        return f"{key}.{shape.member.serialization.get('name', 'member')}"

    def _indices(self, prefix):
        pattern = re.compile(re.escape(prefix) + r"\.(\d+)(?:\.|$)")
        return sorted({int(m.group(1)) for k in self.fields if (m := pattern.match(k))})

    def _has_children(self, prefix):
        return any(k.startswith(prefix + ".") for k in self.fields) if prefix else True

    def _wire_name(self, member, name):
        serialization = member.serialization
        if not self.ec2:
            return serialization.get("name", name)
        if "queryName" in serialization:
            return serialization["queryName"]
        if "name" in serialization:
            return serialization["name"][0].upper() + serialization["name"][1:]
        return name
