"""The top layer: the browser pages and the API endpoints that combine several apps.

It may import every app below it (cases, recommendations, reminders); none of them
imports it (`tests/test_layers.py`, `docs/architecture.md`).
"""
