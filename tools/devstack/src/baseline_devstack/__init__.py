"""Development stack: an embedded PostgreSQL, migrations and both services, as `make run` starts them.

Also used by the test suite to start its own PostgreSQL, so tests and `make run` share one way
of getting a database.
"""
