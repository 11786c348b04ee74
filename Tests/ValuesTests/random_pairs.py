"""Random pairs (expected, actual) of plain Python values for
EqualityPropertyTests: NaN, infinities, -0.0, floats inside and just
outside the tolerance, ints beyond 64 bits, bools vs ints vs floats, lone
surrogates, NFC vs NFD, lists vs tuples, sets, frozensets, dicts with mixed
keys, bytes, nested up to five levels. An actual value is a twin of the
expected one (which the rule should accept: floats moved within the
tolerance, sets and dicts in another order), one change away from it
(accepted or not), or unrelated. The verdict is equality_reference.py's.
"""

import math
import random
import struct
import unicodedata

# ---- random values -------------------------------------------------------

TEXT = [
    "a", "b", "Z", "0", "7", " ", "'", '"', "\\", "\n", "\t", "\r", "\x00", "\x1f", "\x7f", "\x85", "\xa0",
    "\xe9", "\xfc", "\xdf", "\u03b1", "\u0436", "\u4e2d", "\ud55c", "\U0001f600", "\u0301", "\u200b", "\u2028",
    "\ufeff", "\ue000", "\ufffd", "\u212b", "\xc5", "\ufb01",
    "\ud800", "\udbff", "\udc00", "\udfff", "\ud83d", "\ude00",
]
WORDS = ["caf\xe9", "cafe\u0301", "\xc5ngstr\xf6m", "\u212bngstrom", "\ud55c\uad6d\uc5b4", "\u1e9b\u0323", "\ufb01ne",
         "e\u0301\u0301", "\ud83d\ude00", "\U0001f600", "it's", 'say "hi"', ""]
FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 0.3, 1e-9, 2e-9, 1e-300, 5e-324, 1e16, 1e22, 123456789.0, 1e300,
          1.7976931348623157e308, -2.5e-7, float("nan"), float("inf"), float("-inf")]
INTS = [0, 1, -1, 2, 10, 255, 2**31, 2**53 + 1, 2**63 - 1, -2**63, 2**63, -2**63 - 1, 2**64, 10**30, -10**40]


def gen_float(rng):
    r = rng.random()
    if r < 0.45:
        return rng.choice(FLOATS)
    if r < 0.85:
        return rng.uniform(-1, 1) * 10.0 ** rng.randint(-12, 20)
    bits = rng.getrandbits(64)
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def gen_int(rng):
    r = rng.random()
    if r < 0.4:
        return rng.choice(INTS)
    if r < 0.8:
        return rng.randint(-100, 100)
    n = rng.getrandbits(rng.choice([62, 64, 65, 100, 200]))
    return -n if rng.random() < 0.5 else n


def gen_str(rng):
    if rng.random() < 0.3:
        return rng.choice(WORDS)
    return "".join(rng.choice(TEXT) for _ in range(rng.randint(0, 5)))


def gen_bytes(rng):
    return bytes(rng.choice([0, 9, 10, 34, 39, 65, 92, 127, 128, 255, rng.randint(0, 255)])
                 for _ in range(rng.randint(0, 5)))


def gen_scalar(rng):
    k = rng.randrange(7)
    if k == 0:
        return rng.choice([None, True, False])
    if k == 1:
        return gen_int(rng)
    if k in (2, 3):
        return gen_float(rng)
    if k in (4, 5):
        return gen_str(rng)
    return gen_bytes(rng)


def gen_hashable(rng, depth):
    r = rng.random()
    if depth >= 3 or r < 0.75:
        return gen_scalar(rng)
    items = [gen_hashable(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return tuple(items) if r < 0.9 else frozenset(items)


def gen_value(rng, depth=0):
    if depth >= 5 or rng.random() < 0.3 + 0.15 * depth:
        return gen_scalar(rng)
    n = rng.randint(0, 4)
    k = rng.randrange(6)
    if k == 0:
        return [gen_value(rng, depth + 1) for _ in range(n)]
    if k == 1:
        return tuple(gen_value(rng, depth + 1) for _ in range(n))
    if k == 2:
        return {gen_hashable(rng, depth + 1) for _ in range(n)}
    if k == 3:
        return frozenset(gen_hashable(rng, depth + 1) for _ in range(n))
    return {gen_hashable(rng, depth + 1): gen_value(rng, depth + 1) for _ in range(n)}


# ---- actual values derived from expected ones ----------------------------


def near(rng, e):
    """A float near e: inside, at, or just outside the tolerance."""
    if math.isnan(e) or math.isinf(e):
        return rng.choice([e, float("nan"), float("inf"), float("-inf"), 1e308, -e])
    tol = 1e-9 * max(1.0, abs(e))
    r = rng.random()
    if r < 0.5:
        return e + tol * rng.choice([0.5, -0.5, 0.999, -0.999, 1.0, -1.0, 1.001, -1.001, 2.0, -2.0, 0.1])
    if r < 0.7:
        return math.nextafter(e, rng.choice([math.inf, -math.inf]))
    if r < 0.85:
        return e * rng.choice([1 + 1e-10, 1 - 1e-10, 1 + 1e-8, 1 + 1e-12])
    return rng.choice([-e, 0.0, -0.0, float("inf"), float("nan"), e * 2])


def exact_twin(rng, v):
    """A value equal to v under exact equality (a fresh object)."""
    t = type(v)
    if t is float:
        if v != v:
            return float("nan")
        if v == 0:
            return rng.choice([0.0, -0.0])
        return v
    if t is str:
        return "".join(list(v))
    if t is tuple:
        return tuple(exact_twin(rng, x) for x in v)
    if t is frozenset:
        items = [exact_twin(rng, x) for x in v]
        rng.shuffle(items)
        return frozenset(items)
    return v


def twin(rng, v):
    """A value the rule should accept for v: floats within the tolerance,
    sets and dicts rebuilt in another order."""
    t = type(v)
    if t is float:
        if math.isfinite(v) and rng.random() < 0.5:
            return v + 1e-9 * max(1.0, abs(v)) * rng.uniform(-0.9, 0.9)
        return exact_twin(rng, v)
    if t is list:
        return [twin(rng, x) for x in v]
    if t is tuple:
        return tuple(twin(rng, x) for x in v)
    if t is set or t is frozenset:
        items = [exact_twin(rng, x) for x in v]
        rng.shuffle(items)
        return t(items)
    if t is dict:
        items = [(exact_twin(rng, k), twin(rng, x)) for k, x in v.items()]
        rng.shuffle(items)
        return dict(items)
    return exact_twin(rng, v)


def mutate_scalar(rng, v):
    t = type(v)
    if t is float:
        r = rng.random()
        if r < 0.75:
            return near(rng, v)
        if r < 0.9 and math.isfinite(v):
            return int(v) if abs(v) < 1e300 else v
        return rng.choice([True, 1, str(v)])
    if t is bool:
        return rng.choice([int(v), float(v), not v, None])
    if t is int:
        choices = [v + 1, v - 1, -v, True, str(v)]
        if abs(v) < 2**60:
            choices += [float(v), float(v), float(v) + 1e-12]
        if v in (0, 1):
            choices += [bool(v), bool(v)]
        return rng.choice(choices)
    if t is str:
        nfd = unicodedata.normalize("NFD", v) if all(not 0xD800 <= ord(c) <= 0xDFFF for c in v) else v
        nfc = unicodedata.normalize("NFC", v) if nfd is not v else v
        choices = [v + rng.choice(TEXT), v.replace("\ud800", "\ufffd"), v.encode("utf-8", "surrogatepass")]
        if v:
            i = rng.randrange(len(v))
            choices += [v[:i] + rng.choice(TEXT) + v[i + 1:], v[:i] + "\ufffd" + v[i + 1:], v[::-1]]
        if nfd != v:
            choices += [nfd, nfd]
        if nfc != v:
            choices += [nfc, nfc]
        return rng.choice(choices)
    if t is bytes:
        choices = [v + b"\x00", v.decode("latin-1")]
        if v:
            i = rng.randrange(len(v))
            choices += [v[:i] + bytes([(v[i] + 1) % 256]) + v[i + 1:], v[:-1]]
        return rng.choice(choices)
    return rng.choice([0, False, "", (), []])


def mutate_hashable(rng, v, depth=0):
    """Like mutate, but hashable: for set elements and dict keys."""
    t = type(v)
    if t is tuple and v and rng.random() < 0.7:
        i = rng.randrange(len(v))
        return v[:i] + (mutate_hashable(rng, v[i], depth + 1),) + v[i + 1:]
    if t is tuple:
        return rng.choice([frozenset(v), v + (None,), v[:-1]])
    if t is frozenset:
        items = list(v)
        if items and rng.random() < 0.6:
            i = rng.randrange(len(items))
            items[i] = mutate_hashable(rng, items[i], depth + 1)
            return frozenset(items)
        return rng.choice([tuple(items), frozenset(items + [gen_hashable(rng, 2)])])
    m = mutate_scalar(rng, v)
    return m if type(m) not in (list, set, dict) else str(m)


def mutate(rng, v, depth=0):
    """One change somewhere in v (the rest a twin): often unequal, not always."""
    t = type(v)
    if t is list or t is tuple:
        items = [twin(rng, x) for x in v]
        r = rng.random()
        if items and r < 0.6:
            i = rng.randrange(len(items))
            items[i] = mutate(rng, v[i], depth + 1)
        elif r < 0.75:
            return (tuple if t is list else list)(items)
        elif r < 0.85:
            items.append(gen_value(rng, depth + 1))
        elif items and r < 0.93:
            items.pop(rng.randrange(len(items)))
        else:
            items.reverse()
        return t(items)
    if t is set or t is frozenset:
        items = [exact_twin(rng, x) for x in v]
        r = rng.random()
        if items and r < 0.55:
            i = rng.randrange(len(items))
            items[i] = mutate_hashable(rng, items[i])
        elif r < 0.7:
            return (frozenset if t is set else set)(items)
        elif r < 0.85:
            items.append(gen_hashable(rng, depth + 1))
        elif items:
            items.pop(rng.randrange(len(items)))
        rng.shuffle(items)
        return t(items)
    if t is dict:
        items = [(exact_twin(rng, k), twin(rng, x)) for k, x in v.items()]
        r = rng.random()
        if items and r < 0.45:
            i = rng.randrange(len(items))
            items[i] = (items[i][0], mutate(rng, list(v.values())[i], depth + 1))
        elif items and r < 0.75:
            i = rng.randrange(len(items))
            items[i] = (mutate_hashable(rng, items[i][0]), items[i][1])
        elif r < 0.87:
            items.append((gen_hashable(rng, depth + 1), gen_value(rng, depth + 1)))
        elif items:
            items.pop(rng.randrange(len(items)))
        rng.shuffle(items)
        return dict(items)
    return mutate_scalar(rng, v)


def pair(rng):
    """An (expected, actual) pair: a twin, one change apart, or unrelated."""
    expected = gen_value(rng)
    r = rng.random()
    if r < 0.38:
        actual = twin(rng, expected)
    elif r < 0.85:
        actual = mutate(rng, expected)
    else:
        actual = gen_value(rng)
    return expected, actual
