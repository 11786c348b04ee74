# Code tests run on the trusted side, with `candidate` bound to the program's
# function; every check(candidate) is one more (hidden) test.
def check(candidate):
    for text in ["", "abc", "zzz", "a" * 100]:
        for letter in "az":
            assert candidate(text, letter) == text.count(letter)
