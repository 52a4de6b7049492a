"""Publication: the public notice (公示) and its objections, the announcement (表彰) that confers
the awards, and revocation."""
