"""DfE returns: readers, the rule engine and the validation rules for the CIN census and the SSDA903.

Plain Python over polars; no Django imports here, so the validator works on files from any system and from the
``outstanding validate`` command without a database.
"""
