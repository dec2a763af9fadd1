"""Exports for NGOs: verified, published incidents, de-identified, as JSON pages, CSV, HXL,
GeoJSON and a Frictionless data package, streamed in constant memory (see service.py)."""
