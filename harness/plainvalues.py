"""Plain values, type-strict: the tagged JSON structure that arguments and
returned values travel as, between the trusted side and the candidate, and
to the supervisor (Sources/Values/Value+JSON.swift reads and writes it).

None, bool, int, float, str and list are themselves; the other types are
objects with one tag: {"tuple": [...]}, {"set": [...]}, {"frozenset": [...]},
{"bytes": "<hex>"}, {"dict": [[key, value], ...]}. A str that is not valid
Unicode (it holds lone surrogates, which JSON text cannot carry: json.dumps
would write "\\ud800", which no reader can keep apart from U+FFFD) is
{"str": [code point, ...]}.

Only exact types encode: an int subclass, an object overriding __eq__, or
anything that is not a plain value (also nested) is refused, never compared.
Kept lean in its imports: the candidate side imports it.
"""


class Unencodable(Exception):
    pass


# JSON levels a value may nest: the supervisor's parser takes 512, and a
# record adds a few around the value.
MAX_DEPTH = 500


def encode(value, depth=0):
    """The tagged JSON structure of a plain value; exact types only.
    `depth` counts levels of JSON: a list is one, a tuple or a set two
    ({"tuple": [...]}), a dict three ({"dict": [[key, value]]})."""
    if depth > MAX_DEPTH:
        raise Unencodable("nested deeper than %d levels of JSON" % MAX_DEPTH)
    kind = type(value)
    if value is None or kind is bool or kind is int or kind is float:
        return value
    if kind is str:
        if value.isascii():
            return value
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return {"str": [ord(c) for c in value]}
        return value
    if kind is list:
        return [encode(item, depth + 1) for item in value]
    if kind is tuple:
        return {"tuple": [encode(item, depth + 2) for item in value]}
    if kind is set:
        return {"set": [encode(item, depth + 2) for item in value]}
    if kind is frozenset:
        return {"frozenset": [encode(item, depth + 2) for item in value]}
    if kind is dict:
        return {"dict": [[encode(k, depth + 3), encode(v, depth + 3)] for k, v in value.items()]}
    if kind is bytes:
        return {"bytes": value.hex()}
    raise Unencodable("a value of type %s is not plain data" % kind.__name__)


def code_points(body):
    """The str of a {"str": [...]} tag's code points."""
    for code in body:
        if type(code) is not int or not 0 <= code <= 0x10FFFF:
            raise ValueError("a code point must be an int in 0...0x10FFFF, not %r" % (code,))
    return "".join(map(chr, body))


def decode(data):
    """Fresh plain values from the tagged JSON structure. Every NaN is a
    float of its own (json.loads shares one, and a set would merge them)."""
    if type(data) is float and data != data:
        return float("nan")
    if isinstance(data, list):
        return [decode(item) for item in data]
    if isinstance(data, dict):
        if len(data) == 1:
            (tag, body), = data.items()
            if tag == "tuple" and isinstance(body, list):
                return tuple(decode(item) for item in body)
            if tag == "set" and isinstance(body, list):
                return set(decode(item) for item in body)
            if tag == "frozenset" and isinstance(body, list):
                return frozenset(decode(item) for item in body)
            if tag == "bytes" and isinstance(body, str):
                return bytes.fromhex(body)
            if tag == "dict" and isinstance(body, list):
                return {decode(k): decode(v) for k, v in body}
            if tag == "str" and isinstance(body, list):
                return code_points(body)
        return {k: decode(v) for k, v in data.items()}
    return data
