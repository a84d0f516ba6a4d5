/* Upload form: when the kind of document changes, the category follows the kind's default
   (a medical report goes to the medical part), if the user may write there. Without this
   script the server still refuses a kind filed in a category it may not go to. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-default-categories]").forEach(function (kind) {
    const defaults = JSON.parse(kind.dataset.defaultCategories);
    const category = kind.form && kind.form.elements.namedItem("category");
    if (!category) return;
    kind.addEventListener("change", function () {
      const wanted = defaults[kind.value];
      if (Array.from(category.options).some(function (o) { return o.value === wanted; })) {
        category.value = wanted;
      }
    });
  });
})();
