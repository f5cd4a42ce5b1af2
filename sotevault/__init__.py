"""sotevault: the open-source data warehouse for Finnish wellbeing services counties."""

__version__ = "0.1.0"
