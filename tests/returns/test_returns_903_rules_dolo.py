"""SSDA903 rules: tests for outstanding/returns/rules/ssda903_dolo.py."""

from __future__ import annotations
