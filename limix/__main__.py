"""``python -m limix``: the ``limix`` command line."""

from limix.cli import main

if __name__ == "__main__":
    main()
