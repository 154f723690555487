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
