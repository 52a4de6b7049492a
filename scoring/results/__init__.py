"""Results: the cycle's results settings, the computation from scores (inputs, ranking, levels),
snapshots and their approval, explanations and exports."""
