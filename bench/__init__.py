"""Benchmarks: scripts that print figures. Nothing here is a pass/fail test."""
