"""The rules engine of RULES.md: pure and deterministic, pydantic models in and out, no Django."""
