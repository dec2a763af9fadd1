"""Tests of the exports: records, cursors, formats and the CLI."""
