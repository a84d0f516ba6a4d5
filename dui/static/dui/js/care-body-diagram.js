// Body diagram of the wound form (dui/care/incidents/body.py): tapping a zone fills the
// « localisation » select with the same zone and highlights it, instead of following the
// zone's link (which, without JavaScript, reloads the form with the zone chosen).
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a[data-zone]") : null;
  if (!link) {
    return;
  }
  var chooser = link.closest("[data-body-diagram]");
  var select = chooser ? chooser.querySelector("select[data-body-site]") : null;
  if (!select) {
    return;
  }
  event.preventDefault();
  select.value = link.getAttribute("data-zone");
  select.dispatchEvent(new Event("change", { bubbles: true }));
});
document.addEventListener("change", function (event) {
  var select = event.target;
  if (!select.matches || !select.matches("select[data-body-site]")) {
    return;
  }
  var chooser = select.closest("[data-body-diagram]");
  if (!chooser) {
    return;
  }
  chooser.querySelectorAll("a[data-zone] .zone-shape").forEach(function (shape) {
    var zone = shape.parentNode.getAttribute("data-zone");
    shape.classList.toggle("selected", zone === select.value);
  });
});
