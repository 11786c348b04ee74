import sys


def longest(s, bad, k):
    best = left = used = 0
    for right, c in enumerate(s):
        if c == bad:
            used += 1
        while used > k:
            if s[left] == bad:
                used -= 1
            left += 1
        if right - left + 1 > best:
            best = right - left + 1
    return best


def main():
    data = sys.stdin.buffer.read().split()
    k = int(data[1])
    s = data[2]
    print(max(longest(s, 97, k), longest(s, 98, k)))


main()
