import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    rows = data[2:2 + n]
    mine = [[1 if c == 42 else 0 for c in r] for r in rows]
    # horizontal sums of three, then vertical sums of three
    zero = [0] * (m + 2)
    horiz = []
    for r in mine:
        p = [0] + r + [0]
        horiz.append([p[j] + p[j + 1] + p[j + 2] for j in range(m)])
    horiz = [zero[:m]] + horiz + [zero[:m]]
    out = []
    for i in range(n):
        a, b, c = horiz[i], horiz[i + 1], horiz[i + 2]
        r = mine[i]
        out.append("".join("*" if r[j] else chr(48 + a[j] + b[j] + c[j]) for j in range(m)))
    sys.stdout.write("\n".join(out) + "\n")


main()
