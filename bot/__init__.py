"""The Telegram front-end: renders the form engine's questions as messages and keyboards,
stores every answer through the domain services, and the sandbox that stands in for Telegram."""
