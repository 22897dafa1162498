"""The programme level: many projects at once, the links between them, their common ground,
the spread of their changes and the comparison of their shared measures."""
