"""State changes of the awards domain. Views, commands and tasks call these, nothing else."""
