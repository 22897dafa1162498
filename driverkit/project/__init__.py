"""Reading a project and its model: the YAML source with places, the loader, the model and its
fields, reading files within the project's boundary, the aim statement, the project graph, the JSON
Schema, diagnostics and the rule codes the loader raises. It imports nothing else of driverkit."""
