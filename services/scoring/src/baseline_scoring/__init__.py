"""baseline_scoring."""
