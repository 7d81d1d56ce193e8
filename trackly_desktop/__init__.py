"""Trackly Desktop: text your customers from a spreadsheet through the Trackly SMS API."""

__version__ = "0.1.0"
APP_NAME = "Trackly Desktop"
