"""Command-line data tools: loading the data files and generating a synthetic directory (run by manage.py, never on a request)."""
