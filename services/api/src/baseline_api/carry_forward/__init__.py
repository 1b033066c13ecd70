"""Carry forward: the next assessment started from the last one's answers, through the crosswalk."""
