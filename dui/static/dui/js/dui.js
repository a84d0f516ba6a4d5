/* DUI — small behaviours: establishment switcher, idle lock for shared tablets, keeping what
   was typed across a lock. No framework; htmx does the partial updates. */
(function () {
  "use strict";
  const body = document.body;

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Birthplace search (identity forms): choosing a place fills the INSEE code field.
  document.addEventListener("click", function (event) {
    const choice = event.target.closest("[data-birthplace-code]");
    if (!choice) return;
    const form = choice.closest("form");
    const field = form && form.querySelector("[data-birthplace-field]");
    if (!field) return;
    field.value = choice.dataset.birthplaceCode;
    const label = form.querySelector("[data-birthplace-label]");
    if (label) label.textContent = choice.dataset.birthplaceLabel;
    const results = document.getElementById("birthplace-results");
    if (results) results.innerHTML = "";
    field.focus();
  });

  // AGGIR: "Fait seul(e) : A" / "Ne fait pas : C" answer the four adverbs of a row at once.
  document.addEventListener("click", function (event) {
    const shortcut = event.target.closest("[data-adverbs-all]");
    if (!shortcut) return;
    const row = shortcut.closest("[data-adverbs]");
    row.querySelectorAll('input[type=radio][value="' + shortcut.dataset.adverbsAll + '"]').forEach(function (radio) {
      radio.checked = true;
    });
    const form = row.closest("form");
    if (form) form.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // --- Main navigation (issue 12, item 1) --------------------------------------------------
  // Each step is a disclosure button: a tap or Enter opens its entries, a second one, Escape
  // or a tap elsewhere closes them; one step open at a time. « Menu » opens the steps on a
  // tablet in portrait or a phone.
  const nav = document.querySelector("[data-mainnav]");
  if (nav) {
    const toggle = nav.querySelector(".mainnav-toggle");
    const groupButtons = Array.from(nav.querySelectorAll(".mainnav-group-button"));
    const setOpen = function (button, open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      document.getElementById(button.getAttribute("aria-controls")).hidden = !open;
    };
    const closeGroups = function (except) {
      groupButtons.forEach(function (b) { if (b !== except) setOpen(b, false); });
    };
    groupButtons.forEach(function (button) {
      button.addEventListener("click", function () {
        const open = button.getAttribute("aria-expanded") !== "true";
        // A drop-down bar keeps one step open; the narrow menu's list keeps the others.
        if (!nav.classList.contains("open")) closeGroups(button);
        setOpen(button, open);
      });
    });
    toggle.addEventListener("click", function () {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
      // On a narrow screen the steps open with the menu: every entry is two taps from any
      // page (« Menu », then the entry); a step folds with its own button.
      groupButtons.forEach(function (b) { setOpen(b, open); });
    });
    document.addEventListener("click", function (event) {
      if (!nav.contains(event.target) && !nav.classList.contains("open")) closeGroups(null);
    });
    nav.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      const open = groupButtons.find(function (b) { return b.getAttribute("aria-expanded") === "true"; });
      if (open) { setOpen(open, false); open.focus(); }
      else if (nav.classList.contains("open")) { toggle.click(); toggle.focus(); }
    });
  }

  // The user menu (a <details>) closes with Escape or a tap elsewhere, like the steps.
  const userMenu = document.querySelector(".user-menu");
  if (userMenu) {
    document.addEventListener("click", function (event) {
      if (userMenu.open && !userMenu.contains(event.target)) userMenu.open = false;
    });
    userMenu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && userMenu.open) {
        userMenu.open = false;
        userMenu.querySelector("summary").focus();
      }
    });
  }

  // --- Phones (issue 12, item 6) ----------------------------------------------------------
  // Tables become cards under 700 px: each cell is labelled with its column's heading (the
  // stylesheet shows it as `attr(data-label)`); done again on the rows htmx brings.
  function labelCells(root) {
    root.querySelectorAll("table").forEach(function (table) {
      const headings = Array.from(table.querySelectorAll("thead th")).map(function (th) {
        return th.textContent.trim();
      });
      if (!headings.length) return;
      table.classList.add("cards-on-phone");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        let column = 0;
        Array.from(row.children).forEach(function (cell) {
          // A cell across the columns (an empty list's sentence) has no one heading.
          const single = (cell.colSpan || 1) === 1;
          if (single && !cell.hasAttribute("data-label") && headings[column]) cell.setAttribute("data-label", headings[column]);
          column += cell.colSpan || 1;
        });
      });
    });
  }
  labelCells(document);
  document.addEventListener("htmx:afterSwap", function (event) { labelCells(event.target); });

  // The record header folds to its first line on a phone; the button unfolds it.
  document.querySelectorAll("[data-header-toggle]").forEach(function (button) {
    const header = button.closest(".person-header");
    button.addEventListener("click", function () {
      const open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("unfolded", open);
    });
  });

  // The record's tabs scroll sideways on a phone: the current tab is brought into view, and
  // the cue (a shadow on the side that has more) follows the scroll.
  document.querySelectorAll(".record-tabs").forEach(function (tabs) {
    const current = tabs.querySelector('[aria-current="page"]');
    if (current && tabs.scrollWidth > tabs.clientWidth) {
      tabs.scrollLeft = current.offsetLeft - tabs.clientWidth / 2 + current.offsetWidth / 2;
    }
    const cue = function () {
      tabs.classList.toggle("more-left", tabs.scrollLeft > 2);
      tabs.classList.toggle("more-right", tabs.scrollLeft + tabs.clientWidth < tabs.scrollWidth - 2);
    };
    tabs.addEventListener("scroll", cue, { passive: true });
    window.addEventListener("resize", cue);
    cue();
  });

  // Close the search results with Escape.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      const results = document.getElementById("search-results");
      if (results) results.innerHTML = "";
    }
  });

  // --- Keeping what was typed when the server locked the session during a submit -------
  // On submit, the form's fields are kept for a minute. If the server answered with the lock
  // screen, they are put back into the same form once the user has unlocked.
  const LAST_SUBMIT = "dui-last-submit";
  const RESTORE = "dui-restore";
  const SKIP = new Set(["csrfmiddlewaretoken", "password"]);

  function formKey(form) {
    const forms = Array.from(document.querySelectorAll("form"));
    return location.pathname + "#" + forms.indexOf(form);
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.id === "idle-lock-form") return;
    if ((form.method || "get").toLowerCase() !== "post") return;
    const fields = [];
    new FormData(form).forEach(function (value, name) {
      if (!SKIP.has(name) && typeof value === "string") fields.push([name, value]);
    });
    sessionStorage.setItem(LAST_SUBMIT, JSON.stringify({ key: formKey(form), at: Date.now(), fields: fields }));
  }, true);

  function restoreIfAsked() {
    const raw = sessionStorage.getItem(LAST_SUBMIT);
    const isLockPage = body.dataset.page === "lock";
    if (!raw) return;
    const saved = JSON.parse(raw);
    if (isLockPage) {
      if (Date.now() - saved.at < 60000) sessionStorage.setItem(RESTORE, "1");
      return;
    }
    if (sessionStorage.getItem(RESTORE) === "1") {
      const forms = Array.from(document.querySelectorAll("form"));
      const form = forms.find(function (f) { return formKey(f) === saved.key; });
      if (form) {
        saved.fields.forEach(function (pair) {
          const field = form.elements.namedItem(pair[0]);
          if (field && "value" in field && field.type !== "hidden") field.value = pair[1];
        });
        form.insertAdjacentHTML("afterbegin",
          '<p class="message info" role="status">Votre saisie a été conservée pendant le verrouillage : vérifiez-la puis enregistrez.</p>');
      }
    }
    sessionStorage.removeItem(RESTORE);
    sessionStorage.removeItem(LAST_SUBMIT);
  }
  restoreIfAsked();

  // --- Idle lock ------------------------------------------------------------------------
  const idleSeconds = parseInt(body.dataset.idleSeconds || "0", 10);
  const overlay = document.getElementById("idle-lock");
  if (!idleSeconds || !overlay) return;
  const csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
  let lastActivity = Date.now();
  let lastPing = Date.now();
  let locked = false;

  function post(url, data) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: data || new FormData(),
      headers: { "X-CSRFToken": decodeURIComponent(csrf), "X-Requested-With": "fetch" },
    });
  }

  function lock() {
    if (locked) return;
    locked = true;
    post(body.dataset.lockUrl);
    overlay.hidden = false;
    document.getElementById("idle-lock-password").focus();
  }

  function activity() {
    if (locked) return;
    lastActivity = Date.now();
    // Typing makes no request: tell the server the user is still here, at most once a minute.
    if (Date.now() - lastPing > 60000) {
      lastPing = Date.now();
      post(body.dataset.activityUrl).then(function (response) {
        if (response.status === 401) lock();
      });
    }
  }
  ["keydown", "pointerdown", "input", "scroll", "touchstart"].forEach(function (name) {
    document.addEventListener(name, activity, { passive: true, capture: true });
  });
  setInterval(function () {
    if (!locked && Date.now() - lastActivity >= idleSeconds * 1000) lock();
  }, 5000);

  document.getElementById("idle-lock-form").addEventListener("submit", function (event) {
    event.preventDefault();
    const error = document.getElementById("idle-lock-error");
    const data = new FormData();
    data.append("password", document.getElementById("idle-lock-password").value);
    post(body.dataset.unlockUrl, data).then(function (response) {
      if (response.status === 204) {
        locked = false;
        lastActivity = lastPing = Date.now();
        overlay.hidden = true;
        document.getElementById("idle-lock-password").value = "";
        error.hidden = true;
      } else {
        if (response.status === 429) {
          error.textContent = "Trop d'essais : le déverrouillage est bloqué un moment. Reconnectez-vous plus tard.";
          error.hidden = false;
          return;
        }
        return response.text().then(function (text) {
          error.textContent = text || "Mot de passe incorrect.";
          error.hidden = false;
        });
      }
    });
  });
})();
