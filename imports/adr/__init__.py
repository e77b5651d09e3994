"""Reading decision records (ADRs) from Markdown: pure functions from text to typed results, no Django."""
