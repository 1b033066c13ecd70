"""baseline_devstack."""
