"""Shared helper for the generators of the stdin/stdout suite (tasks/io).

Each generator `scripts/io-generators/<task>.py` builds its list of test
inputs with a seeded random.Random and calls `build(task, inputs)`, which
  * rewrites tasks/io/<task>/tests/NN.in from the inputs,
  * runs the reference tasks/io/<task>/solution.py on each to make NN.out,
  * rewrites the "## Examples" section of prompt.md from the first
    `public` tests (so the statement always shows the public tests),
  * refuses a file of 1.5 MB or more.
Run one generator (`python3 scripts/io-generators/<task>.py`) or all of
them (`python3 scripts/io-generators/_all.py`).
"""
import json
import os
import re
import subprocess
import sys
import time

PY = "/root/.pyenv/versions/3.11.7/bin/python3"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SUITE = os.path.join(ROOT, "tasks", "io")
MAX_FILE = 1_500_000


def _examples(pairs):
    parts = ["## Examples\n"]
    for inp, out in pairs:
        parts.append("\n```input\n" + inp.rstrip() + "\n```\n")
        parts.append("\n```output\n" + out.rstrip() + "\n```\n")
    return "".join(parts)


def sync_prompt(task_dir, pairs):
    path = os.path.join(task_dir, "prompt.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^## Examples[ \t]*\n", text, re.M)
    if not m:
        raise SystemExit(f"{path}: no '## Examples' section")
    nxt = re.search(r"^## ", text[m.end():], re.M)
    end = m.end() + nxt.start() if nxt else len(text)
    tail = text[end:]
    new = text[:m.start()] + _examples(pairs) + ("\n" + tail if tail else "")
    if new != text:
        with open(path, "w", encoding="utf-8") as f:
            f.write(new)


def build(task, inputs):
    task_dir = os.path.join(SUITE, task)
    with open(os.path.join(task_dir, "task.json")) as f:
        meta = json.load(f)
    public = meta.get("public", 1)
    tdir = os.path.join(task_dir, "tests")
    os.makedirs(tdir, exist_ok=True)
    for name in os.listdir(tdir):
        os.remove(os.path.join(tdir, name))
    pairs = []
    worst = 0.0
    for i, inp in enumerate(inputs, 1):
        if not inp.endswith("\n"):
            inp += "\n"
        data = inp.encode()
        t0 = time.perf_counter()
        r = subprocess.run([PY, "-I", "-S", os.path.join(task_dir, "solution.py")],
                           input=data, capture_output=True, timeout=60)
        dt = time.perf_counter() - t0
        worst = max(worst, dt)
        if r.returncode != 0:
            raise SystemExit(f"{task} test {i}: reference failed\n{r.stderr.decode()}")
        for ext, blob in ((".in", data), (".out", r.stdout)):
            if len(blob) >= MAX_FILE:
                raise SystemExit(f"{task} test {i}{ext}: {len(blob)} bytes is too big")
            with open(os.path.join(tdir, f"{i:02d}{ext}"), "wb") as f:
                f.write(blob)
        if i <= public:
            pairs.append((inp, r.stdout.decode()))
    sync_prompt(task_dir, pairs)
    size = sum(os.path.getsize(os.path.join(tdir, n)) for n in os.listdir(tdir))
    if size > 700_000:
        print(f"WARNING {task}: {size} bytes of tests, over the 0.7 MB budget")
    print(f"{task}: {len(inputs)} tests, {size / 1e6:.2f} MB, max ref time {worst:.3f}s")


def lines(*rows):
    """Join rows (each a str, a number or a sequence of numbers) into an input text."""
    out = []
    for r in rows:
        if isinstance(r, (list, tuple)):
            out.append(" ".join(map(str, r)))
        else:
            out.append(str(r))
    return "\n".join(out) + "\n"


def multi(cases):
    """A multi-test input: the number of cases, then each case's text."""
    return str(len(cases)) + "\n" + "".join(c if c.endswith("\n") else c + "\n" for c in cases)
