"""`python -m driverkit` runs the command-line tool."""

from driverkit.cli import console

console()
