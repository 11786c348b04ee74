"""A cold script job when the pool shows packages under /packages:
`python -I -S /harness/run_script.py SCRIPT ARGS...` runs SCRIPT as
`python -I -S SCRIPT ARGS...` would, with /packages on the path (which -I
and -S leave no other way to add). Without packages, the script runs
directly.
"""
import os
import runpy
import sys

script = sys.argv[1]
sys.argv = sys.argv[1:]
sys.path[0] = os.path.dirname(os.path.abspath(script))
sys.path.append("/packages")
runpy.run_path(script, run_name="__main__")
