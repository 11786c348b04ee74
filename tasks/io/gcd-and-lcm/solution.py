import sys
from math import gcd


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    out = []
    for i in range(t):
        a = int(data[1 + 2 * i])
        b = int(data[2 + 2 * i])
        g = gcd(a, b)
        out.append(f"{g} {a // g * b}")
    sys.stdout.write("\n".join(out) + "\n")


main()
