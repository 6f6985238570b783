"""SSDA903 rules about deprivation of liberty orders (the DoLO table, from 2026-27)."""

from __future__ import annotations
