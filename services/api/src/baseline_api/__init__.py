"""baseline_api."""
