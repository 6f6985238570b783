"""CIN census rules: tests for outstanding/returns/rules/cin_more.py."""

from __future__ import annotations
