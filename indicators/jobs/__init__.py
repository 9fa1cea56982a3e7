"""Long work as jobs run by the task queue: the runner (state, progress, dead workers) and one module per kind."""
