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
    n, x = int(inp[0]), int(inp[1])
    a = [int(v) for v in inp[2:2 + n]]
    exp = read_text(sys.argv[2]).split()
    out = Tokens(read_text(sys.argv[3]))
    i = out.int("the first index")
    if i == -1:
        out.end()
        if exp[0] != "-1":
            wrong(f"answered -1, but cards {exp[0]} and {exp[1]} sum to {x}")
        accept("ok, no pair")
    if not 1 <= i <= n:
        wrong(f"index {i} is out of range [1, {n}]")
    j = out.int("the second index", 1, n)
    out.end()
    if i == j:
        wrong(f"the two indices are equal ({i})")
    if a[i - 1] + a[j - 1] != x:
        wrong(f"a[{i}] + a[{j}] = {a[i - 1] + a[j - 1]}, not {x}")
    if exp[0] == "-1":
        fail(f"the candidate found a pair ({i}, {j}) the reference missed")
    accept(f"ok, pair ({i}, {j})")


main()
