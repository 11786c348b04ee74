import re
import sys

INT = re.compile(r"-?[0-9]{1,19}")


def verdict(code, msg):
    sys.stdout.write(msg.replace("\n", " ")[:200] + "\n")
    sys.exit(code)


def accept(msg="ok"):
    verdict(0, msg)


def wrong(msg):
    verdict(1, msg)


def presentation(msg):
    verdict(2, msg)


def fail(msg):
    # the checker itself or the jury's data is wrong
    verdict(3, "checker failure: " + msg)


def read_text(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", errors="replace")


class Tokens:
    """The candidate's tokens, read one at a time with strict parsing."""

    def __init__(self, text):
        self.toks = text.split()
        self.pos = 0

    def word(self, what):
        if self.pos >= len(self.toks):
            presentation(f"expected {what}, found the end of the output")
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def int(self, what, lo=None, hi=None):
        tok = self.word(what)
        if not INT.fullmatch(tok):
            presentation(f"expected {what} as an integer, got {tok[:20]!r}")
        v = int(tok)
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            wrong(f"{what} = {v} is out of range [{lo}, {hi}]")
        return v

    def end(self):
        if self.pos < len(self.toks):
            presentation(f"extra output after the answer: {self.toks[self.pos][:20]!r}")


def main():
    inp = read_text(sys.argv[1]).split()
    t = int(inp[0])
    ns = [int(v) for v in inp[1:1 + t]]
    top = max(ns)
    reach = bytearray(top + 1)
    reach[0] = 1
    for m in range(1, top + 1):
        reach[m] = any(m >= c and reach[m - c] for c in (3, 5, 7))
    out = Tokens(read_text(sys.argv[3]))
    for case, n in enumerate(ns, 1):
        x = out.int(f"x of case {case}")
        if x == -1:
            if reach[n]:
                wrong(f"case {case}: answered -1, but {n} people can be placed")
            continue
        if x < 0:
            wrong(f"case {case}: x = {x} is negative")
        y = out.int(f"y of case {case}", 0)
        z = out.int(f"z of case {case}", 0)
        if 3 * x + 5 * y + 7 * z != n:
            wrong(f"case {case}: 3*{x} + 5*{y} + 7*{z} = {3 * x + 5 * y + 7 * z}, not {n}")
    out.end()
    accept(f"ok, {t} cases")


main()
