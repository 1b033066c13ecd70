"""framework_model."""
