import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    out = []
    for i in range(t):
        s, w = data[1 + 2 * i], data[2 + 2 * i]
        out.append("YES" if len(s) == len(w) and sorted(s) == sorted(w) else "NO")
    sys.stdout.write("\n".join(out) + "\n")


main()
