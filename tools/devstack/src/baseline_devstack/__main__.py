"""``python -m baseline_devstack``: what `make run` runs."""

from .launcher import main

main()
