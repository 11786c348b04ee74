import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    seg = sorted(zip(map(int, data[1:1 + 2 * n:2]), map(int, data[2:2 + 2 * n:2])))
    total = 0
    cur_l, cur_r = seg[0]
    for l, r in seg[1:]:
        if l > cur_r:
            total += cur_r - cur_l
            cur_l, cur_r = l, r
        elif r > cur_r:
            cur_r = r
    total += cur_r - cur_l
    print(total)


main()
