// Leadership OS: the little the shell needs beyond htmx. No inline scripts (CSP).
(function () {
  "use strict";

  function notice(text) {
    var region = document.getElementById("notices");
    if (!region) return;
    region.innerHTML = "";
    var box = document.createElement("div");
    box.className = "notice notice-error";
    box.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
    region.appendChild(box);
  }

  // A server error or a lost connection must never look like a silent success.
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status >= 500) notice("Something went wrong on the server; nothing was saved. Try again, or reload the page.");
  });
  document.addEventListener("htmx:sendError", function () {
    notice("The server could not be reached; nothing was saved. Check your connection and try again.");
  });

  // Close a notice by clicking it; it is also cleared on the next successful htmx swap.
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest(".notice");
    if (el && el.parentElement && el.parentElement.id === "notices") el.remove();
  });

  // Elements marked data-autofocus take focus after an htmx swap (inline edit forms, added rows), once:
  // a row added below earlier ones must not hand the focus back to the first.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt;
    if (!target || !target.querySelector) return;
    var focus = target.matches && target.matches("[data-autofocus]") ? target : target.querySelector("[data-autofocus]");
    if (focus) {
      focus.removeAttribute("data-autofocus");
      focus.focus();
    }
  });

  // Escape cancels an inline edit form that offers a cancel link.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var form = event.target.closest && event.target.closest("form[data-inline-edit]");
    if (!form) return;
    var cancel = form.querySelector("[data-cancel]");
    if (cancel) cancel.click();
  });

  // The shell's search dropdown closes on Escape, and when a click lands outside the search box.
  function closeSearchResults() {
    var results = document.getElementById("shell-search-results");
    if (results) results.innerHTML = "";
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && event.target && event.target.id === "shell-q") closeSearchResults();
  });
  document.addEventListener("click", function (event) {
    if (!(event.target.closest && event.target.closest(".shell-search"))) closeSearchResults();
  });

  // Buttons with data-confirm ask first (used for destructive actions).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);
})();
