"""News Annotator: read news articles, see who is quoted saying what, label stance and topic."""

__version__ = "0.1.0"
