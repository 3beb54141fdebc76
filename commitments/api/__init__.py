"""The read-only API over members, plans, commitments, alignments, evidence and scores."""
