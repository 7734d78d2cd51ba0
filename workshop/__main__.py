"""python -m workshop → the command line."""

from workshop.cli import main

raise SystemExit(main())
