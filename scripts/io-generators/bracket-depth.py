import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, multi

rng = random.Random(112)


def balanced(n2):
    """A random balanced string of length n2 (even)."""
    s, open_, left = [], 0, n2 // 2
    while left or open_:
        if left and (open_ == 0 or rng.random() < 0.5):
            s.append("("); open_ += 1; left -= 1
        else:
            s.append(")"); open_ -= 1
    return "".join(s)


def broken(n):
    s = list(balanced(n - n % 2))
    if n % 2:
        s.insert(rng.randrange(len(s) + 1), rng.choice("()"))
    elif s:
        i = rng.randrange(len(s))
        s[i] = "(" if s[i] == ")" else ")"
    return "".join(s) or ")"


T = [multi(["(()())", "()()()", ")(", "(()", "((()))()"])]
T.append(multi(["("]))
T.append(multi(["()"]))
T.append(multi([")", "(", "))", "((", "()", ")()(", "(())"]))
T.append(multi([balanced(2 * rng.randint(1, 10)) if rng.random() < 0.5 else broken(rng.randint(1, 20)) for _ in range(300)]))
T.append(multi(["(" * 50000 + ")" * 50000]))
T.append(multi([balanced(10**5)]))
T.append(multi(["()" * 20000]))
T.append(multi([balanced(20) if i % 2 else broken(19) for i in range(2000)]))
T.append(multi(["(" * 20000 + ")" * 19999 + "("]))
T.append(multi([")" + "(" * 20000 + ")" * 20000 + "(", balanced(2)]))
build("bracket-depth", T)
