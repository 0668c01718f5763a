"""Grounded question answering over child-labour reports."""

__version__ = "0.1.0"
