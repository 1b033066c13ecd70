"""Entry point of ``python -m framework_model``; see ``framework_model.cli``."""

from framework_model.cli import main

raise SystemExit(main())
