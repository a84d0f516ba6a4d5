// Measurement round (dui/care/observations): Enter moves to the next person's field, like
// Tab, instead of sending the form; the last field's Enter sends it.
document.addEventListener("keydown", function (event) {
  var input = event.target;
  if (event.key !== "Enter" || !input.classList || !input.classList.contains("measure-input")) {
    return;
  }
  var form = input.closest("form[data-round]");
  if (!form) {
    return;
  }
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input.measure-input"));
  var next = inputs[inputs.indexOf(input) + 1];
  if (next) {
    event.preventDefault();
    next.focus();
  }
});
