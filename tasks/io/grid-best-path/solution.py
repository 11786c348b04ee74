import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    prev = [0] * m
    for i in range(n):
        row = data[2 + i]
        cur = [0] * m
        left = 0
        for j in range(m):
            up = prev[j]
            best = up if up > left else left
            left = best + row[j] - 48
            cur[j] = left
        prev = cur
    print(prev[-1])


main()
