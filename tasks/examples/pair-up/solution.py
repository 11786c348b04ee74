def pair_up(xs):
    return [(xs[i], xs[i + 1]) for i in range(0, len(xs) - 1, 2)]
