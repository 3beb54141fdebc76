"""What happened in the domain that systems outside it may want to hear about, as Django signals.

Both are sent inside the transaction that made the change, so a receiver that records rows (a webhook
delivery) commits or rolls back with it; receivers enqueue work only through the transaction-aware task
class, after commit. The domain never knows who listens.
"""

from django.dispatch import Signal

# Sent by a score recompute with `member_ids` (members at least one of whose scores changed, or were
# computed for the first time) and `methodology_version`.
scores_changed = Signal()

# Sent when a real (not dry-run) import has written its data, with `run` (the ImportRun, finished).
import_landed = Signal()
