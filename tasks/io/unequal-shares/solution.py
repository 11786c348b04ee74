import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    sys.stdout.write("\n".join(str((int(x) - 1) // 2) for x in data[1:1 + t]) + "\n")


main()
