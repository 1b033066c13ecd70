"""The scoring service's thin HTTP layer: parse, check, call the engine, return."""
