// Meeting mode (front/templates/cases/meeting_mode.html): keyboard shortcuts, the
// per-case timer, and saving before moving to another case. htmx saves the form on
// every change; this file only adds what htmx does not do. The keyboard map is on the
// screen and in docs/ui.md. No inline handlers (the Content Security Policy forbids them).
(() => {
  const root = document.getElementById("mm");
  if (!root) return;
  const form = document.getElementById("mm-form");
  const autosave = document.getElementById("mm-autosave");
  const items = form ? Array.from(form.querySelectorAll(".mm-item[data-item]")) : [];
  const timer = document.getElementById("mm-timer");
  const secondsInput = document.getElementById("mm-seconds");
  const status = document.getElementById("mm-saved");
  const dialog = document.getElementById("mm-sign-dialog");
  const loadedSeconds = Number(timer ? timer.dataset.seconds : 0) || 0;
  let seconds = loadedSeconds;
  let dirty = false;
  let selected = 0;

  // --- The timer: seconds this case is on screen, added to what was recorded before.
  const show = () => {
    if (!timer) return;
    const m = Math.floor(seconds / 60), s = seconds % 60;
    timer.textContent = `${m}:${String(s).padStart(2, "0")}`;
    if (secondsInput) secondsInput.value = String(seconds);
  };
  show();
  setInterval(() => { if (!document.hidden) { seconds += 1; show(); } }, 1000);

  // --- Which item the keys act on.
  const select = (index) => {
    if (!items.length) return;
    selected = Math.max(0, Math.min(items.length - 1, index));
    items.forEach((li, i) => li.classList.toggle("is-selected", i === selected));
    items[selected].scrollIntoView({ block: "nearest" });
  };
  const firstUndecided = () => {
    const i = items.findIndex((li) => !li.querySelector("input[type=radio]:checked"));
    return i < 0 ? 0 : i;
  };
  select(firstUndecided());
  items.forEach((li, i) => li.addEventListener("focusin", () => select(i)));

  const choose = (verdict) => {
    const li = items[selected];
    if (!li) return;
    const radio = li.querySelector(`input[type=radio][value="${verdict}"]`);
    if (!radio) return;
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    if (verdict === "accepted") {
      const next = items.findIndex((el, i) => i > selected && !el.querySelector("input[type=radio]:checked"));
      if (next >= 0) select(next);
    } else {
      // Modify: what the board decided instead, then the reason; reject: the reason.
      const box = li.querySelector(verdict === "modified" ? "textarea[name$='-detail']" : "textarea[name$='-reason']");
      if (box) box.focus();
    }
  };
  // --- Another kind of action (medication, radiotherapy, …): htmx swaps in its fields.
  // Picking one is a modification; the save waits for its fields (saving now would post
  // the old kind's fields under the new kind and only report them missing).
  items.forEach((li) => {
    const kind = li.querySelector("select[data-action-kind]");
    if (!kind) return;
    kind.addEventListener("change", (event) => {
      event.stopPropagation();
      dirty = true;
      const modify = li.querySelector("input[type=radio][value=modified]");
      if (modify && kind.value !== kind.dataset.proposedKind) modify.checked = true;
    });
  });
  const acceptUndecided = () => {
    items.forEach((li) => {
      if (!li.querySelector("input[type=radio]:checked")) {
        const radio = li.querySelector("input[type=radio][value=accepted]");
        if (radio) radio.checked = true;
      }
    });
    if (autosave) autosave.dispatchEvent(new Event("change", { bubbles: true }));
  };

  // --- Saving: htmx posts on change; a move to another case saves first.
  if (form) {
    // Text is saved a moment after typing stops (htmx saves on "change"; a text box
    // fires that only when it loses focus).
    let typingTimer = null;
    form.addEventListener("input", (event) => {
      dirty = true;
      if (event.target.tagName !== "TEXTAREA") return;
      clearTimeout(typingTimer);
      const box = event.target;
      typingTimer = setTimeout(() => box.dispatchEvent(new Event("change", { bubbles: true })), 1500);
    });
    form.addEventListener("change", () => { dirty = true; });
    // An item's typed fields come on the first opening of its details (the placeholder
    // "action_not_shown" stands in until then). If the kind was changed before that
    // request ran, the kind's own fields are already here, perhaps half filled in: the
    // late first-opening answer must not replace them (it would blank what was typed).
    document.body.addEventListener("htmx:beforeSwap", (event) => {
      // detail.elt is the swap's target here; the element that asked is requestConfig.elt.
      const target = event.detail.target;
      const asker = event.detail.requestConfig && event.detail.requestConfig.elt;
      if (asker === target && target.classList.contains("mm-action-fields")
          && !target.querySelector('input[name$="-action_not_shown"]')) {
        event.detail.shouldSwap = false;
      }
    });
    document.body.addEventListener("htmx:afterRequest", (event) => {
      if (event.detail.elt !== autosave) return;
      const ok = event.detail.xhr.getResponseHeader("X-Decision-Saved") === "yes";
      if (ok) { dirty = false; root.dataset.hasDecision = "yes"; }
    });
  }
  const saveNow = async () => {
    if (!form) return true;
    const worthIt = dirty || root.dataset.hasDecision === "yes"
      || seconds - loadedSeconds >= Number(root.dataset.timerSaveSeconds || 10);
    if (!worthIt) return true;
    show();
    const response = await fetch(root.dataset.saveUrl, {
      method: "POST", body: new FormData(form), headers: { "HX-Request": "true" },
      credentials: "same-origin",
    });
    const ok = response.headers.get("X-Decision-Saved") === "yes";
    if (status) status.innerHTML = await response.text();
    if (ok) dirty = false;
    return ok;
  };
  const go = async (where) => {
    const url = root.dataset[`${where}Url`];
    if (!url) return;
    if (await saveNow()) window.location.assign(url);
  };
  root.querySelectorAll("[data-go]").forEach((link) => link.addEventListener("click", (event) => {
    event.preventDefault();
    go(link.dataset.go);
  }));

  // --- Signing asks first (the dialog's button submits the form to the sign address),
  // once: a second press while the first is on its way would sign twice.
  let submitted = false;
  if (form) {
    form.addEventListener("submit", (event) => {
      if (submitted) { event.preventDefault(); return; }
      submitted = true;
      show();
    });
  }
  const openSign = () => { if (dialog && !dialog.open) { show(); dialog.showModal(); } };
  root.querySelectorAll("[data-open-sign]").forEach((b) => b.addEventListener("click", openSign));
  root.querySelectorAll("[data-close-sign]").forEach((b) => b.addEventListener("click", () => dialog.close()));

  const typing = (el) => el && (el.tagName === "TEXTAREA" || el.tagName === "SELECT"
    || (el.tagName === "INPUT" && !["radio", "checkbox", "button", "submit"].includes(el.type)));

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (dialog && dialog.open) return;  // the dialog has its own buttons (Enter, Esc)
    if (typing(event.target)) {
      if (event.key === "Escape") {
        event.target.blur();
        if (items[selected]) items[selected].querySelector("input[type=radio]")?.focus();
        event.preventDefault();
      }
      return;
    }
    const key = event.key;
    let handled = true;
    if (key === "ArrowRight" || key === "n") go("next");
    else if (key === "ArrowLeft" || key === "p") go("previous");
    else if (key === "ArrowDown" || key === "j") select(selected + 1);
    else if (key === "ArrowUp" || key === "k") select(selected - 1);
    else if (key === "A") acceptUndecided();
    else if (key === "a") choose("accepted");
    else if (key === "m") choose("modified");
    else if (key === "r") choose("rejected");
    else if (key === "d") { const d = items[selected]?.querySelector("details"); if (d) d.open = !d.open; }
    else if (key === "s") openSign();
    else handled = false;
    if (handled) event.preventDefault();
  });
  // The shortcuts work from here on (the script is deferred: keys pressed before it ran
  // do nothing). The browser tests wait for this before pressing keys.
  root.dataset.keys = "ready";
})();
