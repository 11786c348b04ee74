import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    out = []
    for w in data[1:1 + t]:
        w = w.decode()
        best, cnt = "a", -1
        for ch in "abcdefghijklmnopqrstuvwxyz":
            c = w.count(ch)
            if c > cnt:
                best, cnt = ch, c
        out.append(f"{best} {cnt}")
    sys.stdout.write("\n".join(out) + "\n")


main()
