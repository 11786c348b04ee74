import sys


def build(a, b, x):
    # start with the more frequent digit; x + 1 alternating blocks,
    # extra copies go into the first block of each digit
    c, d, nc, nd = ("0", "1", a, b) if a >= b else ("1", "0", b, a)
    blocks_c = (x + 2) // 2
    blocks_d = (x + 1) // 2
    parts = []
    for k in range(x + 1):
        if k % 2 == 0:
            parts.append(c * (nc - blocks_c + 1) if k == 0 else c)
        else:
            parts.append(d * (nd - blocks_d + 1) if k == 1 else d)
    return "".join(parts)


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    out = []
    for i in range(t):
        a, b, x = (int(v) for v in data[1 + 3 * i: 4 + 3 * i])
        out.append(build(a, b, x))
    sys.stdout.write("\n".join(out) + "\n")


main()
