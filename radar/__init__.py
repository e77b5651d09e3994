"""The rules engine and what reads it: the dashboard, the blocker radar, the decision queue, the rules."""
