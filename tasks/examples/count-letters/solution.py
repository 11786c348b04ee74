def count_letter(s, c):
    return s.count(c)
