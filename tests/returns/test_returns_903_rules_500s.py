"""SSDA903 rules: tests for outstanding/returns/rules/ssda903_500s.py."""

from __future__ import annotations
