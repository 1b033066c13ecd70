"""Evidence: links and document references that support an assessment's answers."""
