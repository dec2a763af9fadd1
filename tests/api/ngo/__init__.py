"""Tests of the NGO API, through HTTP."""
