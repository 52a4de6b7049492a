"""Review: the reviewer pool, conflicts of interest, stages, panels and assignment, scorecards
and consensus."""
