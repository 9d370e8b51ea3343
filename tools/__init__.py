"""Lint tools: the architecture, type, complexity and size checks and the baselines they read (make lint)."""
