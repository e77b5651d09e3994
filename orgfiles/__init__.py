"""Org files: the snapshot format's reader and writer (with history), the sample org and generated orgs."""
