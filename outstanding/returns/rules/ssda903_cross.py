"""SSDA903 rules that flag rows in two tables (DfE validation rules, 2024-25 to 2026-27)."""

from __future__ import annotations
