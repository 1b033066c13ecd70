"""Sign-off: a named person approves a scored assessment, and the report as it stood is kept."""
