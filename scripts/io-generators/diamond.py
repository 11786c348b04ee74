import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build

T = ["3\n", "1\n", "2\n", "4\n", "5\n", "10\n", "17\n", "64\n", "100\n", "199\n", "200\n"]
build("diamond", T)
