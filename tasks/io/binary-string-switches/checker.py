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
    out = Tokens(read_text(sys.argv[3]))
    for case in range(1, t + 1):
        a, b, x = (int(v) for v in inp[1 + 3 * (case - 1): 4 + 3 * (case - 1)])
        s = out.word(f"the string of case {case}")
        if len(s) != a + b:
            wrong(f"case {case}: the string has length {len(s)}, expected {a + b}")
        if s.strip("01"):
            wrong(f"case {case}: the string has characters other than 0 and 1")
        zeros = s.count("0")
        if zeros != a:
            wrong(f"case {case}: {zeros} zeros, expected {a}")
        sw = sum(1 for i in range(len(s) - 1) if s[i] != s[i + 1])
        if sw != x:
            wrong(f"case {case}: {sw} switches, expected {x}")
    out.end()
    accept(f"ok, {t} cases")


main()
