"""Certificates of awards (signed serials, batch printing, verification) and feedback reports."""
