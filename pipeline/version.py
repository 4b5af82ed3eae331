"""Versions that every result records, so that two runs can be compared."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("billfacts")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"
