from commitments.suggestions.calibration import Calibrated, best_threshold, calibrate, held_out

POSITIVE = "The law on associations will let civic groups register in a day and receive public grants."
NEGATIVE = "The treasury will publish budget execution reports every quarter in open formats."


def test_the_threshold_is_the_one_that_maximises_f1_not_a_fixed_half():
    scores = [0.05, 0.1, 0.2, 0.22, 0.3, 0.4]
    labels = [0, 0, 0, 1, 1, 1]
    assert best_threshold(scores, labels) == 0.22


def test_the_calibrated_threshold_lands_on_the_suggestion_threshold():
    calibrated = Calibrated(classifier=None, threshold=0.2, model_f1=0.0, rules_f1=0.0, held_out=0)
    assert calibrated.scaled(0.2) == 0.5
    assert calibrated.scaled(0.1) < 0.5 < calibrated.scaled(0.3)


def _examples(n: int) -> tuple[list[str], list[str], list[int]]:
    keys = [f"K{i:04d}" for i in range(n)]
    labels = [int(i % 4 == 0) for i in range(n)]
    texts = [f"{POSITIVE if label else NEGATIVE} Item {i}." for i, label in enumerate(labels)]
    return keys, texts, labels


def test_a_trained_signal_is_used_only_when_it_beats_the_rules_on_its_held_out_part():
    keys, texts, labels = _examples(120)
    assert any(held_out(key) for key in keys) and not all(held_out(key) for key in keys)
    blind_rules = calibrate(keys, texts, labels, [0.0] * len(keys))
    assert blind_rules is not None and blind_rules.model_f1 > 0.9 and blind_rules.used
    perfect_rules = calibrate(keys, texts, labels, [float(label) for label in labels])
    assert perfect_rules is not None and not perfect_rules.used


def test_too_few_labels_train_nothing():
    keys, texts, labels = _examples(12)
    assert calibrate(keys, texts, labels, [0.0] * len(keys)) is None


def test_a_win_on_too_few_held_out_positives_does_not_make_a_model_active():
    lucky = Calibrated(classifier=None, threshold=0.2, model_f1=1.0, rules_f1=0.5, held_out=90, held_out_positives=2)
    assert not lucky.used
    enough = Calibrated(classifier=None, threshold=0.2, model_f1=1.0, rules_f1=0.5, held_out=90, held_out_positives=5)
    assert enough.used
