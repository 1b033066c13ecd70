"""Bulk ingestion: many assessments, with their organisations and answers, in one request."""
