// Selecting words in the commitment text fills the passage offsets of the decision form.
// Offsets count Unicode code points, as the server does.
(function () {
  "use strict";
  const text = document.querySelector("[data-passage-source]");
  const start = document.getElementById("id_passage_start");
  const end = document.getElementById("id_passage_end");
  const hint = document.getElementById("passage-hint");
  if (!text || !start || !end) return;

  function codePoints(value) {
    return Array.from(value).length;
  }

  // HTML turns each CR LF of the stored text into one LF; count them back so offsets match the stored text.
  const source = document.getElementById("commitment-text");
  const original = source ? Array.from(JSON.parse(source.textContent)) : null;

  function toOriginal(shown) {
    if (!original) return shown;
    let index = 0;
    for (let seen = 0; seen < shown && index < original.length; seen++) {
      index += original[index] === "\r" && original[index + 1] === "\n" ? 2 : 1;
    }
    return index;
  }

  function offsetOf(node, offset) {
    const range = document.createRange();
    range.selectNodeContents(text);
    range.setEnd(node, offset);
    return toOriginal(codePoints(range.toString()));
  }

  text.addEventListener("mouseup", function () {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return;
    start.value = offsetOf(range.startContainer, range.startOffset);
    end.value = offsetOf(range.endContainer, range.endOffset);
    if (hint) {
      // The sentence comes translated from the page, with {start}, {end} and {text} to fill in.
      const message = hint.dataset.message || "Passage set to characters {start}–{end}: “{text}”";
      hint.textContent = message
        .replace("{start}", start.value)
        .replace("{end}", end.value)
        .replace("{text}", function () { return range.toString(); });
    }
  });
})();
