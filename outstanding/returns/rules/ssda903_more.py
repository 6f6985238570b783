"""SSDA903 rules found missing by a coverage audit (DfE validation rules, 2024-25 to 2026-27)."""

from __future__ import annotations
