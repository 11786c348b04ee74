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
    exp = read_text(sys.argv[2]).split()
    out = Tokens(read_text(sys.argv[3]))
    epos = 0
    for case in range(1, t + 1):
        n = int(inp[case])
        possible = exp[epos] != "-1"
        epos += n if possible else 1
        first = out.int(f"the first number of case {case}")
        if first == -1:
            if possible:
                wrong(f"case {case}: answered -1, but a line of {n} children exists")
            continue
        if not possible:
            # a line claimed: check it fully, then report the jury's mistake
            pass
        seen = bytearray(n + 1)
        prev = None
        for i in range(1, n + 1):
            p = first if i == 1 else out.int(f"p_{i} of case {case}")
            if not 1 <= p <= n:
                wrong(f"case {case}: p_{i} = {p} is out of range [1, {n}]")
            if seen[p]:
                wrong(f"case {case}: child {p} appears twice")
            seen[p] = 1
            if prev is not None and abs(prev - p) < 2:
                wrong(f"case {case}: siblings {prev} and {p} stand next to each other")
            prev = p
        if not possible:
            fail(f"case {case}: the candidate found a line the reference missed")
    out.end()
    accept(f"ok, {t} cases")


main()
