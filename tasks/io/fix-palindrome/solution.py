import sys


def main():
    s = sys.stdin.buffer.read().split()[0]
    n = len(s)
    h = n // 2
    print(sum(1 for x, y in zip(s[:h], s[::-1][:h]) if x != y))


main()
