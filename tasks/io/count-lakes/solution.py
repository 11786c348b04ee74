import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    w = m + 2
    # padded grid flattened: 1 = unvisited water
    g = bytearray(w * (n + 2))
    for i in range(n):
        row = data[2 + i]
        base = (i + 1) * w + 1
        g[base:base + m] = row.replace(b"~", b"\x01").replace(b"#", b"\x00")
    lakes = 0
    for start in range(len(g)):
        if g[start]:
            lakes += 1
            g[start] = 0
            stack = [start]
            pop, push = stack.pop, stack.append
            while stack:
                c = pop()
                for d in (c - 1, c + 1, c - w, c + w):
                    if g[d]:
                        g[d] = 0
                        push(d)
    print(lakes)


main()
