"""``python -m checker``: the same as the ``claimcheck`` command."""
from checker.cli import main

if __name__ == "__main__":
    main()
