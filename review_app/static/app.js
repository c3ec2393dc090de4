// Move keyboard and screen reader focus to the error summary after a failed submit.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});

// A form without an action is sent to the page's own address, fragment included. After the
// skip link that is "#main-content", and the browser would then focus <main>, not the summary.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.getAttribute("action") && window.location.hash) {
    form.setAttribute("action", window.location.pathname + window.location.search);
  }
});
