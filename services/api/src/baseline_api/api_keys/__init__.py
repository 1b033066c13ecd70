"""API keys: bearer tokens with scopes, optionally limited to some organisations."""
