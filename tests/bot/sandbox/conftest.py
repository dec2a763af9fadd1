"""The sandbox fixtures live in tests/bot/conftest.py, shared with the bot's own tests."""
