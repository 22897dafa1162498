"""`python -m driverkit` runs the command-line tool."""

from driverkit.cli import main

raise SystemExit(main())
