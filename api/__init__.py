"""The HTTP front-end: the review desk, the JSON API for monitors and NGOs, the Telegram webhook."""
