"""Organisations: NHS bodies identified by their ODS code."""
