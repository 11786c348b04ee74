#!/usr/bin/env python3
"""Verify the stdin/stdout suite tasks/io (plain Python 3, standard library).

For every task directory: the files and task.json follow the format, tests
are paired (NN.in / NN.out, at least 10), prompt.md has Input / Output /
Examples sections whose example blocks equal the public tests, and the
reference solution.py passes every test within the time limit (run with the
real interpreter), judged by the task's checker. For tasks with their own
checker.py, the checker must also reject an empty output, garbage and a
plausible wrong answer (exit 1 or 2, never a crash).

Usage: python3 scripts/io-verify.py [task ...]
"""
import json
import math
import os
import re
import resource
import subprocess
import sys
import time

PY = "/root/.pyenv/versions/3.11.7/bin/python3"
if not os.path.exists(PY):
    PY = sys.executable
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUITE = os.path.join(ROOT, "tasks", "io")
MAX_FILE = 1_500_000
MAX_SUITE = 25_000_000
FIELDS = {"time_limit", "memory_limit", "checker", "tolerance", "public", "tags", "level"}
CHECKERS = {"tokens", "exact", "lines", "float", "checker.py"}
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TEST = re.compile(r"^(\d\d)\.(in|out)$")


# ---------------------------------------------------------------- checkers

def check_tokens(exp, act):
    e, a = exp.split(), act.split()
    if len(e) != len(a):
        return False, f"expected {len(e)} tokens, got {len(a)}"
    for i, (x, y) in enumerate(zip(e, a)):
        if x != y:
            return False, f"token {i + 1}: expected {x[:30]!r}, got {y[:30]!r}"
    return True, "ok"


def check_exact(exp, act):
    return (True, "ok") if exp == act else (False, "output differs byte for byte")


def _lines(b):
    ls = [l.rstrip() for l in b.split(b"\n")]
    while ls and not ls[-1]:
        ls.pop()
    return ls


def check_lines(exp, act):
    e, a = _lines(exp), _lines(act)
    if len(e) != len(a):
        return False, f"expected {len(e)} lines, got {len(a)}"
    for i, (x, y) in enumerate(zip(e, a)):
        if x != y:
            return False, f"line {i + 1} differs"
    return True, "ok"


def _num(tok):
    try:
        v = float(tok)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def check_float(exp, act, tol):
    e, a = exp.split(), act.split()
    if len(e) != len(a):
        return False, f"expected {len(e)} tokens, got {len(a)}"
    for i, (x, y) in enumerate(zip(e, a)):
        ex = _num(x)
        if ex is None:
            if x != y:
                return False, f"token {i + 1}: expected {x[:30]!r}, got {y[:30]!r}"
            continue
        ac = _num(y)
        if ac is None or abs(ac - ex) > tol * max(1.0, abs(ex)):
            return False, f"token {i + 1}: expected {x[:30]}, got {y[:30]!r}"
    return True, "ok"


def run_checker(task_dir, inp, exp, act_bytes, tmp):
    act = os.path.join(tmp, "actual.txt")
    with open(act, "wb") as f:
        f.write(act_bytes)
    try:
        r = subprocess.run([PY, "-I", "-S", os.path.join(task_dir, "checker.py"), inp, exp, act],
                           capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        return None, "checker timed out"
    msg = r.stdout.decode(errors="replace").split("\n")[0]
    if r.returncode not in (0, 1, 2):
        return None, f"checker crashed (exit {r.returncode}): {r.stderr.decode(errors='replace')[-300:]}"
    if not msg.strip():
        return None, f"checker printed no message (exit {r.returncode})"
    return r.returncode, msg


# ------------------------------------------- wrong answers for checker.py tasks
# Each function gets (input text, expected output text) and returns a wrong
# output text for that test, or None when it cannot make one for that test.

def _ints(s):
    return [int(x) for x in s.split()]


def _wrong_pair_sum(inp, exp):
    # a pair of indices that does not sum to x (or -1 when a pair exists)
    if exp.split()[0] == "-1":
        return "1 2\n"
    return "-1\n"


def _wrong_equilibrium(inp, exp):
    return "-1\n" if exp.split()[0] != "-1" else "1\n"


def _wrong_identity(inp, exp):
    vals = _ints(inp)
    t, ns = vals[0], vals[1:]
    return "\n".join(" ".join(map(str, range(1, n + 1))) for n in ns[:t]) + "\n"


def _wrong_spaced(inp, exp):
    # the identity line (siblings side by side); -1 for a single child
    vals = _ints(inp)
    out = []
    for n in vals[1:1 + vals[0]]:
        out.append("-1" if n == 1 else " ".join(map(str, range(1, n + 1))))
    return "\n".join(out) + "\n"


def _wrong_binary(inp, exp):
    # zeros then ones: one switch (all zeros when one switch is wanted)
    vals = _ints(inp)
    out = []
    for i in range(vals[0]):
        a, b, x = vals[1 + 3 * i: 4 + 3 * i]
        out.append("0" * a + "1" * b if x != 1 else "0" * (a + b))
    return "\n".join(out) + "\n"


def _wrong_split(inp, exp):
    # every number in the first group: a valid split, not a minimal one
    n = _ints(inp)[0]
    return f"{n}\n" + " ".join(map(str, range(1, n + 1))) + "\n"


def _wrong_coins357(inp, exp):
    vals = _ints(inp)
    out = []
    for n in vals[1:1 + vals[0]]:
        out.append("1 1 1" if n != 15 else "0 0 0")
    return "\n".join(out) + "\n"


def _wrong_two_groups(inp, exp):
    toks = exp.split()
    return " ".join(toks[:-1]) + "\n"


WRONG = {
    "pair-with-sum": _wrong_pair_sum,
    "balance-point": _wrong_equilibrium,
    "no-one-in-place": _wrong_identity,
    "spaced-permutation": _wrong_spaced,
    "binary-string-switches": _wrong_binary,
    "fair-halves": _wrong_split,
    "three-five-seven": _wrong_coins357,
}

GARBAGE = b"hello \xff\xfe world\n-1 99999999999999999999999999999999 abc 3.5 -0\n\x00"


# ------------------------------------------------------------------ checks

def limit(mem_mib):
    def f():
        b = mem_mib * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (b, b))
    return f


def prompt_examples(text):
    m = re.search(r"^## Examples[ \t]*$", text, re.M)
    if not m:
        return None
    nxt = re.search(r"^## ", text[m.end():], re.M)
    sec = text[m.end(): m.end() + nxt.start() if nxt else len(text)]
    blocks = re.findall(r"^```(input|output)[ \t]*\n(.*?)^```[ \t]*$", sec, re.M | re.S)
    return blocks


def norm(s):
    ls = [l.rstrip() for l in s.replace("\r\n", "\n").split("\n")]
    while ls and not ls[-1]:
        ls.pop()
    return "\n".join(ls)


def verify(task, tmp):
    errs = []
    d = os.path.join(SUITE, task)
    if not NAME.match(task):
        errs.append("bad task name")
    for f in ("task.json", "prompt.md", "solution.py"):
        if not os.path.isfile(os.path.join(d, f)):
            errs.append(f"missing {f}")
    stray = sorted(set(os.listdir(d)) - {"task.json", "prompt.md", "solution.py", "checker.py", "tests"})
    if stray:
        errs.append(f"unexpected files in the task directory: {stray}")
    if errs:
        return errs, 0, 0.0
    try:
        meta = json.load(open(os.path.join(d, "task.json")))
    except ValueError as e:
        return [f"task.json: {e}"], 0, 0.0
    if not isinstance(meta, dict):
        return ["task.json is not an object"], 0, 0.0
    extra = set(meta) - FIELDS
    if extra:
        errs.append(f"task.json: unknown fields {sorted(extra)}")
    tl = meta.get("time_limit", 2)
    ml = meta.get("memory_limit", 256)
    chk = meta.get("checker", "tokens")
    tol = meta.get("tolerance", 1e-6)
    public = meta.get("public", 1)
    if not isinstance(tl, (int, float)) or isinstance(tl, bool) or tl <= 0:
        errs.append("time_limit must be a positive number")
    if not isinstance(ml, int) or isinstance(ml, bool) or ml <= 0:
        errs.append("memory_limit must be a positive integer")
    if chk not in CHECKERS:
        errs.append(f"unknown checker {chk!r}")
    if "tolerance" in meta and (chk != "float" or not isinstance(tol, (int, float)) or tol <= 0):
        errs.append("tolerance only with checker float, a positive number")
    if not isinstance(public, int) or isinstance(public, bool) or not 1 <= public <= 3:
        errs.append("public must be 1..3")
    tags = meta.get("tags", [])
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) and t for t in tags):
        errs.append("tags must be a non-empty list of strings")
    if meta.get("level") not in (1, 2, 3):
        errs.append("level must be 1, 2 or 3")
    has_chk = os.path.isfile(os.path.join(d, "checker.py"))
    if (chk == "checker.py") != has_chk:
        errs.append("checker.py present iff checker is 'checker.py'")
    if errs:
        return errs, 0, 0.0

    tdir = os.path.join(d, "tests")
    names = sorted(os.listdir(tdir)) if os.path.isdir(tdir) else []
    ids = {}
    for n in names:
        m = TEST.match(n)
        if not m:
            errs.append(f"unexpected file tests/{n}")
            continue
        ids.setdefault(m.group(1), set()).add(m.group(2))
        if os.path.getsize(os.path.join(tdir, n)) >= MAX_FILE:
            errs.append(f"tests/{n} is 1.5 MB or more")
    for k, v in sorted(ids.items()):
        if v != {"in", "out"}:
            errs.append(f"test {k} is not paired")
    tests = sorted(k for k, v in ids.items() if v == {"in", "out"})
    if len(tests) < 10:
        errs.append(f"only {len(tests)} tests")
    if public > len(tests):
        errs.append("public exceeds the number of tests")

    prompt = open(os.path.join(d, "prompt.md"), encoding="utf-8").read()
    for h in ("## Input", "## Output", "## Examples"):
        if not re.search(r"^" + h + r"[ \t]*$", prompt, re.M):
            errs.append(f"prompt.md lacks '{h}'")
    blocks = prompt_examples(prompt) or []
    kinds = [b[0] for b in blocks]
    if kinds != ["input", "output"] * public:
        errs.append(f"prompt.md examples: expected {public} input/output pairs, found {kinds}")
    else:
        for i in range(public):
            for j, ext in enumerate(("in", "out")):
                fn = os.path.join(tdir, f"{tests[i]}.{ext}")
                if norm(blocks[2 * i + j][1]) != norm(open(fn, encoding="utf-8").read()):
                    errs.append(f"prompt.md example {i + 1} {ext} differs from tests/{tests[i]}.{ext}")
    if errs:
        return errs, len(tests), 0.0

    worst = 0.0
    for k in tests:
        fin, fout = os.path.join(tdir, k + ".in"), os.path.join(tdir, k + ".out")
        with open(fin, "rb") as f:
            t0 = time.perf_counter()
            try:
                r = subprocess.run([PY, "-I", "-S", os.path.join(d, "solution.py")], stdin=f,
                                   capture_output=True, timeout=tl, preexec_fn=limit(ml))
            except subprocess.TimeoutExpired:
                errs.append(f"test {k}: time limit exceeded")
                continue
            dt = time.perf_counter() - t0
        worst = max(worst, dt)
        if r.returncode != 0:
            errs.append(f"test {k}: exit {r.returncode}: {r.stderr.decode(errors='replace')[-300:]}")
            continue
        exp = open(fout, "rb").read()
        act = r.stdout
        if chk == "checker.py":
            code, msg = run_checker(d, fin, fout, act, tmp)
            ok = code == 0
        elif chk == "exact":
            ok, msg = check_exact(exp, act)
        elif chk == "lines":
            ok, msg = check_lines(exp, act)
        elif chk == "float":
            ok, msg = check_float(exp.decode(), act.decode(errors="replace"), tol)
        else:
            ok, msg = check_tokens(exp.decode(), act.decode(errors="replace"))
        if not ok:
            errs.append(f"test {k}: reference rejected: {msg}")

    if chk == "checker.py":
        wrong = WRONG.get(task)
        if wrong is None:
            errs.append("no wrong answer defined for this checker task in io-verify.py")
        made = 0
        for k in tests:
            fin, fout = os.path.join(tdir, k + ".in"), os.path.join(tdir, k + ".out")
            code, msg = run_checker(d, fin, fout, open(fout, "rb").read(), tmp)
            if code != 0:
                errs.append(f"test {k}: checker rejects the expected output: {msg}")
            cands = [("empty output", b""), ("garbage", GARBAGE)]
            if wrong:
                w = wrong(open(fin).read(), open(fout).read())
                if w is not None:
                    made += 1
                    cands.append(("wrong answer", w.encode()))
            for what, blob in cands:
                code, msg = run_checker(d, fin, fout, blob, tmp)
                if code is None:
                    errs.append(f"test {k}: {what}: {msg}")
                elif code == 0:
                    errs.append(f"test {k}: checker accepts the {what}")
        if wrong and not made:
            errs.append("the wrong-answer maker made no wrong answer")
    return errs, len(tests), worst


def main():
    import tempfile
    wanted = sys.argv[1:]
    tasks = sorted(n for n in os.listdir(SUITE) if os.path.isdir(os.path.join(SUITE, n)))
    if wanted:
        tasks = [t for t in tasks if t in wanted]
    failed = []
    total_tests = 0
    top = (0.0, "")
    counts = {}
    with tempfile.TemporaryDirectory() as tmp:
        for task in tasks:
            errs, n, worst = verify(task, tmp)
            total_tests += n
            top = max(top, (worst, task))
            chk = "?"
            try:
                chk = json.load(open(os.path.join(SUITE, task, "task.json"))).get("checker", "tokens")
            except (OSError, ValueError):
                pass
            counts[chk] = counts.get(chk, 0) + 1
            status = "ok" if not errs else "FAIL"
            print(f"{task:28s} {chk:10s} {n:3d} tests  max {worst:.3f}s  {status}")
            for e in errs:
                print(f"    {e}")
            if errs:
                failed.append(task)
    size = 0
    for dp, _, fs in os.walk(SUITE):
        size += sum(os.path.getsize(os.path.join(dp, f)) for f in fs)
    if size >= MAX_SUITE:
        failed.append("(suite size)")
        print(f"suite is {size} bytes, 25 MB or more")
    if not wanted:
        readme = os.path.join(SUITE, "README.md")
        text = open(readme).read() if os.path.isfile(readme) else ""
        missing = [t for t in tasks if f"`{t}`" not in text]
        if missing:
            failed.append("(README)")
            print(f"README.md does not list: {missing}")
        if len(tasks) < 40:
            failed.append("(count)")
            print(f"only {len(tasks)} tasks")
    mix = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    verdict = "all passed" if not failed else f"{len(failed)} FAILED: {' '.join(failed)}"
    print(f"io-verify: {len(tasks)} tasks ({mix}), {total_tests} tests, "
          f"{size / 1e6:.2f} MB, slowest reference {top[0]:.3f}s ({top[1]}): {verdict}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
