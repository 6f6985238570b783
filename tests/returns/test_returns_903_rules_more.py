"""SSDA903 rules: tests for outstanding/returns/rules/ssda903_more.py."""

from __future__ import annotations
