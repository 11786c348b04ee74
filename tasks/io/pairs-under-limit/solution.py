import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, x = int(data[0]), int(data[1])
    a = sorted(map(int, data[2:2 + n]))
    i, j = 0, n - 1
    total = 0
    while i < j:
        if a[i] + a[j] <= x:
            total += j - i
            i += 1
        else:
            j -= 1
    print(total)


main()
