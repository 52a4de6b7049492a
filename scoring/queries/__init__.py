"""Read helpers of the review side."""
