"""Checking a project: the rules (`driverkit.checks.rules`), the checker that runs them on a loaded
project and its graph, and the report formats (text, parsable, json, github)."""
