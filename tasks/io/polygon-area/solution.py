import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    xs = list(map(int, data[1:1 + 2 * n:2]))
    ys = list(map(int, data[2:2 + 2 * n:2]))
    s = 0
    for i in range(n):
        j = i + 1 if i + 1 < n else 0
        s += xs[i] * ys[j] - xs[j] * ys[i]
    s = abs(s)
    sys.stdout.write(f"{s // 2}.{5 if s % 2 else 0}\n")


main()
