"""Each document as plain data built from a project, for `driverkit.output` to write: the driver
diagram, the logic model, the measurement plan, the PDSA log and the spread plan."""
