"""One router per area, joined in api/main.py."""
