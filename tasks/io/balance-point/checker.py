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
    n = int(inp[0])
    a = [int(v) for v in inp[1:1 + n]]
    exp = read_text(sys.argv[2]).split()
    out = Tokens(read_text(sys.argv[3]))
    i = out.int("the position")
    out.end()
    if i == -1:
        if exp[0] != "-1":
            wrong(f"answered -1, but position {exp[0]} balances")
        accept("ok, no position")
    if not 1 <= i <= n:
        wrong(f"position {i} is out of range [1, {n}]")
    left = sum(a[:i - 1])
    right = sum(a[i:])
    if left != right:
        wrong(f"at position {i} the left side weighs {left} and the right side {right}")
    if exp[0] == "-1":
        fail(f"the candidate found position {i} the reference missed")
    accept(f"ok, position {i}")


main()
