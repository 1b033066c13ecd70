"""Comparison: what moved between two scored assessments of one organisation, and which actions
done in between went with a rise in their capability's level."""
