import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, s = int(data[0]), int(data[1])
    a = list(map(int, data[2:2 + n]))
    best = left = cur = 0
    for right in range(n):
        cur += a[right]
        while cur > s:
            cur -= a[left]
            left += 1
        if right - left + 1 > best:
            best = right - left + 1
    print(best)


main()
