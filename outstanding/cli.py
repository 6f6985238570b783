"""The `outstanding` command: tools that work without a database or a running site."""

import argparse
import sys

from outstanding.returns import command as returns_command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="outstanding", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    returns_command.register(subparsers)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
