"""``python -m accord`` is the ``accord`` command (and ``run`` is the ``accord`` script)."""

import sys


def run() -> int:
    """The command line; ``accord --version`` alone is answered before the CLI's libraries
    (typer, rich) load, the same line the full CLI prints."""
    if sys.argv[1:] == ["--version"]:
        from accord._version import __version__

        sys.stdout.write(f"accord {__version__}\n")
        return 0
    from accord.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
