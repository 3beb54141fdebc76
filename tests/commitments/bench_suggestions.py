"""Time suggest_alignments over 4,000 commitments of OGP-like length, on the local database.

Run: manage.py shell -c "exec(open('tests/commitments/bench_suggestions.py').read())"
It creates its own member, plan and BX* commitments and deletes them at the end. Needs load_frameworks.
"""

import random
import time

from commitments.models import ActionPlan, Commitment, CommitmentPolicyArea, Member, PolicyArea
from commitments.suggestions.evaluation import load_labelled_set
from commitments.suggestions.suggest import suggest_alignments

random.seed(1)
records = load_labelled_set()
filler = [record.full_text for record in records if not record.labels]
member, _ = Member.objects.get_or_create(
    code="BNCH", defaults={"name": "Benchland", "kind": "national", "region": "europe"}
)
plan, _ = ActionPlan.objects.get_or_create(
    ogp_id="AP_BNCH01", defaults={"member": member, "number": 1, "submitted_year": 2019, "end_year": 2021}
)
Commitment.objects.filter(action_plan=plan).delete()
rows = []
for n in range(4000):
    record = random.choice(records)
    body = " ".join([record.full_text, *random.sample(filler, 12)])
    rows.append(
        Commitment(
            ogp_id=f"BX{n:05d}", action_plan=plan, member=member, number=str(n), title=record.title, full_text=body
        )
    )
Commitment.objects.bulk_create(rows, batch_size=1000)
areas = list(PolicyArea.objects.all())
ids = list(Commitment.objects.filter(action_plan=plan).values_list("pk", flat=True))
if areas:
    CommitmentPolicyArea.objects.bulk_create(
        [CommitmentPolicyArea(commitment_id=pk, policy_area=random.choice(areas)) for pk in ids[::3]]
    )
lengths = sorted(len(row.full_text) for row in rows)
print(f"{len(rows)} commitments, median {lengths[len(lengths) // 2]} characters")
try:
    for label in ("first run", "second run, nothing changed"):
        started = time.perf_counter()
        print(suggest_alignments(commitment_ids=ids))
        print(f"{label}: {time.perf_counter() - started:.1f}s")
finally:
    Commitment.objects.filter(action_plan=plan).delete()
    plan.delete()
    member.delete()
