// Small behaviours only; everything works without JavaScript where it can.
// No inline handlers anywhere (the Content Security Policy forbids them).
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-print]");
  if (target) { event.preventDefault(); window.print(); }
});
