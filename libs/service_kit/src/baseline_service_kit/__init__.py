"""baseline_service_kit."""
