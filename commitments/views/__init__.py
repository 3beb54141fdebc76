"""HTML pages of the commitments app: public pages and the reviewers' workspace."""
