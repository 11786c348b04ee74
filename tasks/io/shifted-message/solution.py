import sys


def main():
    raw = sys.stdin.buffer.read().decode().split("\n")
    n, k = map(int, raw[0].split())
    al = "abcdefghijklmnopqrstuvwxyz"
    table = str.maketrans(al, al[-k:] + al[:-k] if k else al)
    out = [raw[1 + i].rstrip("\r").translate(table) for i in range(n)]
    sys.stdout.write("\n".join(out) + "\n")


main()
