"""An assessment's append-only history: who did what to it, and when."""
