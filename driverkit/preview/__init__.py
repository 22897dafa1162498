"""A live preview: a local page that shows a project's views and diagnostics and redraws itself
each time a file of the project is saved. `driverkit watch` is a thin shell over `serve`."""

from driverkit.preview.server import Preview, serve

__all__ = ["Preview", "serve"]
