"""SSDA903 rules: tests for outstanding/returns/rules/ssda903_200s.py."""

from __future__ import annotations
