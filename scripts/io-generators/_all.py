"""Run every generator of scripts/io-generators (or the ones named)."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
names = sys.argv[1:] or sorted(n[:-3] for n in os.listdir(HERE)
                               if n.endswith(".py") and not n.startswith("_"))
failed = 0
for n in names:
    r = subprocess.run([sys.executable, os.path.join(HERE, n + ".py")])
    failed += r.returncode != 0
sys.exit(1 if failed else 0)
