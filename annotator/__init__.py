"""News claim annotator: claims, labels, sources and credibility profiles for news text."""

__version__ = "0.1.0"
