"""The improvement plan: actions taken on from recommendations, and the worker that reports them overdue."""
