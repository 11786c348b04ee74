"""The reference for Value.accepts, in Python, and the far end of the
transport checks. Run by EqualityPropertyTests.swift with the real
interpreter (-I -S); see there.

  generate SEED COUNT HARNESS   one JSON line per random pair (expected,
                                actual): both encoded with the harness's
                                plainvalues.encode, the reference verdict,
                                and for each value its repr and a strict
                                form (exact types, float bits, code points)
  check HARNESS FILE            FILE holds lines {"value", "form", "repr",
                                "literal"} whose value Swift re-encoded;
                                each is decoded with plainvalues.decode and
                                must give back the same form (and repr,
                                when "literal": the value holds no set).

The verdict here is written from the documented rule, independently of the
Swift code: types strict; int exact; float: expected NaN only NaN, expected
infinity only itself, a finite e accepts a finite a when
|a - e| <= 1e-9 * max(1, |e|); str by code point; bytes exact; list/tuple
element-wise; set/frozenset the same elements under exact equality (types
strict, floats by == except NaN equals NaN); dict the same keys under exact
equality, each value by the full rule (keys that repeat, NaNs, in order).
"""

import json
import math
import os
import random
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from random_pairs import pair  # noqa: E402

# ---- the rule ------------------------------------------------------------


def exact_key(v):
    """Equal keys exactly when equal as set elements or dict keys."""
    t = type(v)
    if v is None:
        return ("none",)
    if t is bool:
        return ("bool", v)
    if t is int:
        return ("int", v)
    if t is float:
        return ("float", "nan") if v != v else ("float", v)  # -0.0 == 0.0 in the tuple
    if t is str:
        return ("str", v)  # Python compares str by code point
    if t is bytes:
        return ("bytes", v)
    if t is tuple or t is list:
        return (t.__name__, tuple(exact_key(x) for x in v))
    if t is set or t is frozenset:
        return (t.__name__, frozenset(Counter(exact_key(x) for x in v).items()))
    if t is dict:
        return ("dict", frozenset(Counter((exact_key(k), exact_key(x)) for k, x in v.items()).items()))
    raise TypeError(t)


def accepts(e, a):
    """The documented rule: does expected e accept actual a?"""
    te = type(e)
    if te is not type(a):
        return False
    if e is None:
        return True
    if te is bool or te is int or te is bytes or te is str:
        return e == a
    if te is float:
        if math.isnan(e):
            return math.isnan(a)
        if math.isinf(e):
            return a == e
        return math.isfinite(a) and abs(a - e) <= 1e-9 * max(1.0, abs(e))
    if te is list or te is tuple:
        return len(e) == len(a) and all(accepts(x, y) for x, y in zip(e, a))
    if te is set or te is frozenset:
        return Counter(map(exact_key, e)) == Counter(map(exact_key, a))
    if te is dict:
        if len(e) != len(a):
            return False
        groups = {}
        for k, x in a.items():
            groups.setdefault(exact_key(k), []).append(x)
        for k, x in e.items():
            values = groups.get(exact_key(k))
            if not values or not accepts(x, values.pop(0)):
                return False
        return True
    raise TypeError(te)


# ---- what a value is, strictly, and whether its repr is deterministic ----


def form(v):
    """A strict description (ASCII): exact types, float bits (so -0.0 is not
    0.0), str code points; sets sorted, dicts in order."""
    t = type(v)
    if v is None or t is bool or t is int:
        return "%s:%r" % (t.__name__, v)
    if t is float:
        return "float:nan" if v != v else "float:" + v.hex()
    if t is str:
        return "str:" + ",".join("%x" % ord(c) for c in v)
    if t is bytes:
        return "bytes:" + v.hex()
    if t is list or t is tuple:
        return "%s(%s)" % (t.__name__, ";".join(form(x) for x in v))
    if t is set or t is frozenset:
        return "%s(%s)" % (t.__name__, ";".join(sorted(form(x) for x in v)))
    if t is dict:
        return "dict(%s)" % ";".join(form(k) + "=" + form(x) for k, x in v.items())
    raise TypeError(t)


def nan_twins(v):
    """Whether a set or dict in v holds two NaNs (as elements or keys).
    plainvalues.decode cannot give those back: json.loads returns one shared
    NaN object, and a set keeps one. Counted and left out of the transport
    checks, not hidden."""
    t = type(v)
    if t is set or t is frozenset:
        return sum(1 for x in v if type(x) is float and x != x) > 1 or any(map(nan_twins, v))
    if t is list or t is tuple:
        return any(map(nan_twins, v))
    if t is dict:
        keys = sum(1 for k in v if type(k) is float and k != k)
        return keys > 1 or any(nan_twins(k) or nan_twins(x) for k, x in v.items())
    return False


def has_sets(v):
    t = type(v)
    if t is set or t is frozenset:
        return True
    if t is list or t is tuple:
        return any(map(has_sets, v))
    if t is dict:
        return any(has_sets(k) or has_sets(x) for k, x in v.items())
    return False


# ---- commands ------------------------------------------------------------


def describe(v):
    return {"repr": repr(v), "form": form(v), "literal": not has_sets(v), "nan_twins": nan_twins(v)}


def generate(seed, count, harness):
    sys.path.insert(0, harness)
    from plainvalues import decode, encode

    rng = random.Random(seed)
    out = sys.stdout
    for _ in range(count):
        expected, actual = pair(rng)
        line = {"verdict": accepts(expected, actual)}
        for name, v in (("expected", expected), ("actual", actual)):
            encoded = encode(v)
            # The Python half of the transport: encoded JSON text decodes back exactly.
            back = decode(json.loads(json.dumps(encoded)))
            if form(back) != form(v) and not nan_twins(v):
                raise SystemExit("plainvalues lost %r: it came back as %r" % (v, back))
            line[name] = encoded
            line[name + "_info"] = describe(v)
        out.write(json.dumps(line) + "\n")


def check(harness, path):
    sys.path.insert(0, harness)
    from plainvalues import decode

    checked = mismatches = 0
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            value = decode(record["value"])
            checked += 1
            if form(value) != record["form"] or (record["literal"] and repr(value) != record["repr"]):
                mismatches += 1
                if mismatches <= 5:
                    print(json.dumps({"mismatch": record["repr"], "got": repr(value)}))
    print(json.dumps({"checked": checked, "mismatches": mismatches}))


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        check(sys.argv[2], sys.argv[3])
