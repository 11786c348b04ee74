import sys


def frame(h, w):
    rows = []
    for i in range(h):
        if i == 0 or i == h - 1 or w <= 2:
            rows.append("#" * w)
        else:
            rows.append("#" + "." * (w - 2) + "#")
    return "\n".join(rows) + "\n"


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    frames = [frame(int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(t)]
    sys.stdout.write("\n".join(frames))


main()
