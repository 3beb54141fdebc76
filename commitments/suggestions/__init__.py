"""Suggest which action items a commitment answers, with a confidence and the passage that shows it.

Only member-directed action items answered by a *commitment* are suggested here. Process items ("strengthen
multi-stakeholder forums", "conduct gender-based analysis") are evidenced by ProcessEvidence about what a
member did in a plan cycle, which a commitment's wording cannot show, so text signals never suggest them.

Confidence, in [0, 1]:

    text     = noisy-or of the item's vocabulary cues found in the title and full text
               (x 0.5 without an open-government context cue where the item asks for one,
                x (1 - w) for each "uses digital tools" trap cue w found)
    tags     = CROSSWALK_FACTOR x the largest crosswalk weight among the commitment's policy-area tags
    signals  = 1 - (1 - text) x (1 - tags)
    confidence = signals
               = scaled(p) for a commitment with no policy-area tag, where the item has an *active* model
                 (trained on tags and decisions, gated against the rules; see ``model``) giving p:
                 scaled(p) = S x p / t below the model's cross-validated threshold t, else S + (1 - S)(p - t)/(1 - t),
                 with S = SUGGESTION_THRESHOLD, so p >= t exactly when the confidence reaches S

A suggestion is made at SUGGESTION_THRESHOLD or above. Passages are offsets into the commitment's
``review_text``: its full text, or its title when the full text is blank.
"""
