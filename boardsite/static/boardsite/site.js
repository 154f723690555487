// Small behaviours only; everything works without JavaScript where it can.
// No inline handlers anywhere (the Content Security Policy forbids them).
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-print]");
  if (target) { event.preventDefault(); window.print(); }
});

// A "what to chase" link ends in #id_<field>: put the cursor in that field, so the
// missing fact is typed straight away (the browser only scrolls to it).
document.addEventListener("DOMContentLoaded", () => {
  const id = decodeURIComponent(window.location.hash.slice(1));
  if (!id.startsWith("id_")) { return; }
  const field = document.getElementById(id);
  if (field && typeof field.focus === "function") { field.focus(); }
});

// Errors where the eye is: a form answer that carries errors (a whole page or an htmx
// swap) moves the focus to its summary, so keyboard and screen-reader users land there.
function focusErrors(root) {
  const target = root.querySelector("[data-focus-on-load]");
  if (!target) return;
  target.scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
}
document.addEventListener("DOMContentLoaded", () => focusErrors(document));
document.addEventListener("htmx:afterSettle", (event) => focusErrors(event.detail.elt.parentNode || document));

// Reorder the agenda by dragging a case (progressive enhancement: the "Move to
// position" form does the same in one request without JavaScript). The drop posts the
// whole new order once, to the same endpoint as the API's reorder.
document.addEventListener("DOMContentLoaded", () => {
  const list = document.querySelector("ol[data-reorder-form]");
  if (!list) return;
  const form = document.getElementById(list.dataset.reorderForm);
  const hint = document.querySelector(".drag-hint");
  if (hint) hint.hidden = false;
  let dragged = null;
  list.querySelectorAll("li[data-draggable]").forEach((row) => {
    row.draggable = true;
    row.addEventListener("dragstart", (event) => {
      dragged = row;
      row.classList.add("is-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.dataset.itemId);
    });
    row.addEventListener("dragend", () => {
      row.classList.remove("is-dragging");
      dragged = null;
    });
  });
  list.addEventListener("dragover", (event) => {
    if (!dragged) return;
    event.preventDefault();
    const over = event.target.closest("li[data-draggable]");
    if (!over || over === dragged) return;
    const box = over.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? over.nextSibling : over);
  });
  list.addEventListener("drop", (event) => {
    event.preventDefault();
    form.querySelectorAll("input[name=order]").forEach((input) => input.remove());
    list.querySelectorAll("li[data-item-id]").forEach((row) => {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "order";
      input.value = row.dataset.itemId;
      form.appendChild(input);
    });
    form.submit();
  });
});
