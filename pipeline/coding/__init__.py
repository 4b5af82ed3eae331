"""Code selection: the code table, pair rules and payer profiles as data, and a pure selector."""

from .selector import select_codes
from .table import code_table, payer_profile, payer_profiles

__all__ = ["select_codes", "code_table", "payer_profile", "payer_profiles"]
