"""Frozen entry of the windowed program (推荐材料助手.exe).

Started from the Start menu: the window. Started by double-clicking a store file (the file
association passes its path): that store in the window. Anything else (`--selftest`, `gui --db`)
goes to the command line as given, so the release script can smoke-test this very executable.
"""

import sys

from nominator.cli import main

STORE_SUFFIX = ".nominator"


def _argv(args: list[str]) -> list[str]:
    if not args:
        return ["gui"]
    if len(args) == 1 and not args[0].startswith("-") and args[0].lower().endswith(STORE_SUFFIX):
        return ["gui", "--db", args[0]]
    return args


sys.exit(main(_argv(sys.argv[1:])))
