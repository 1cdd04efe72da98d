"""Apollo Federation checks that run Apollo's own Node.js tools (see nodejs.py)."""
