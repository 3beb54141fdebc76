// Keyboard work in the review workspace. Everything here is also reachable without it: the keys only move the
// focus, tick a row, choose a decision and place the cursor in the rationale.
//   j / k  next / previous suggestion in the queue
//   c / r  confirm / reject: tick the current row (queue) or choose the decision (one alignment), then type
//          the rationale and press Enter (Ctrl+Enter in a text area)
//   e      edit: open the current suggestion (queue) or choose "Edit only" (one alignment)
//   ?      show or hide the help
(function () {
  "use strict";
  const queue = document.querySelector("[data-review-queue]");
  const decision = document.querySelector("[data-review-decision]");
  const help = document.getElementById("keyboard-help");
  if (!queue && !decision) return;

  const rows = queue ? Array.from(queue.querySelectorAll("[data-review-row]")) : [];
  let current = -1;

  function typing(target) {
    return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName));
  }

  function move(step) {
    if (!rows.length) return;
    if (current >= 0) rows[current].classList.remove("is-current");
    current = Math.min(Math.max(current + step, 0), rows.length - 1);
    const row = rows[current];
    row.classList.add("is-current");
    const box = row.querySelector("input[type=checkbox]");
    if (box) box.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function rationale(form) {
    const field = form.querySelector("[name=rationale]");
    if (field) field.focus();
  }

  function decideInQueue(value) {
    if (current < 0) move(1);
    if (current < 0) return;
    const box = rows[current].querySelector("input[type=checkbox]");
    if (box) box.checked = true;
    const choice = queue.querySelector("input[name=decision][value=" + value + "]");
    if (choice) choice.checked = true;
    rationale(queue);
  }

  function decideHere(value) {
    const select = decision.querySelector("select[name=decision]");
    if (!select) return;
    select.value = value;
    rationale(decision);
  }

  function toggleHelp() {
    if (!help) return;
    help.open = !help.open;
    if (help.open) help.querySelector("summary").focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey && event.key === "Enter" && decision && event.target instanceof HTMLTextAreaElement) {
      event.preventDefault();
      decision.requestSubmit();
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Escape" && typing(event.target) && current >= 0) {
      rows[current].querySelector("input[type=checkbox]").focus();
      return;
    }
    if (typing(event.target) && !(event.target instanceof HTMLInputElement && event.target.type === "checkbox")) return;
    let handled = true;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "c": queue ? decideInQueue("confirmed") : decideHere("confirm"); break;
      case "r": queue ? decideInQueue("rejected") : decideHere("reject"); break;
      case "e":
        if (queue) {
          if (current < 0) move(1);
          const link = current >= 0 && rows[current].querySelector("[data-review-open]");
          if (link) window.location.assign(link.href);
        } else {
          decideHere("edit");
        }
        break;
      case "?": toggleHelp(); break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  });
})();
