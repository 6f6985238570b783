"""SSDA903 rules (DfE validation rules, 2024-25 to 2026-27): see the module's rules for their ranges."""

from __future__ import annotations
