import sys


def main():
    s = sys.stdin.buffer.read().split()[0]
    step = {85: 1 << 20, 68: -(1 << 20), 76: -1, 82: 1}
    pos = 0
    seen = {0}
    add = seen.add
    for c in s:
        pos += step[c]
        add(pos)
    print(len(seen))


main()
