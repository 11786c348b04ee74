import sys
from collections import Counter


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    print(sum(k * (k - 1) // 2 for k in Counter(data[1:1 + n]).values()))


main()
