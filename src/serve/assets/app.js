// callsearch serve: the pages work without this; it only submits the search form
// when a sort or section choice changes, and scrolls the hit into view on a call page.
document.addEventListener("DOMContentLoaded", () => {
  for (const el of document.querySelectorAll("select.autosubmit")) {
    el.addEventListener("change", () => el.form.submit());
  }
  const hit = document.querySelector("p.passage.hit");
  if (hit && !location.hash) hit.scrollIntoView({ block: "center" });
});
