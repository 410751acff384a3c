"""claimcheck: cross-source claim-consistency checks for news stories."""
__version__ = "0.1.0"
