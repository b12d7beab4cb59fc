"""Reader Context: context cards for named things in news, and explanations of loaded wording."""

__version__ = "1.1.0"
