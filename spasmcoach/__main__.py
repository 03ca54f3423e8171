"""``python -m spasmcoach`` and the ``spasmcoach`` launcher."""

import sys

from .cli import main as _cli_main


def main() -> None:
    sys.exit(_cli_main())


if __name__ == "__main__":
    main()
