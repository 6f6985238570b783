"""SSDA903 rules: tests for outstanding/returns/rules/ssda903_1000s_sw.py."""

from __future__ import annotations
