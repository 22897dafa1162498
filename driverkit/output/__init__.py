"""Output languages: DOT and Mermaid, the Graphviz engines, themes, text measuring, escaping,
templates and spreadsheets; `render()` and `render_to_file()` in `driverkit.output.rendering`."""
