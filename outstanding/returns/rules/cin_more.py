"""CIN census rules (DfE validation rules, 2024-25 to 2026-27) added after the first modules."""

from __future__ import annotations
