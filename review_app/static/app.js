// Move keyboard and screen reader focus to the error summary after a failed submit; failing
// that, to the message that says what the last action did ("Saved."), so that it is read out
// and the next Tab goes on from there. A link to a place on the page keeps that place.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    return;
  }
  var message = document.querySelector("[data-flash]");
  var hash = window.location.hash.slice(1);
  var target = hash && document.getElementById(decodeURIComponent(hash));
  if (message && (!target || target.id === "main-content")) {
    message.focus();
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

// A form that creates something carries a one-time key (review_app/core/once.py): send it
// once, so a double click does not leave the person looking at the second answer.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.querySelector("input[name='form_key']")) return;
  if (form.dataset.sent) {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "1";
});

// Item pages: show a follow-up question as soon as an answer on the page makes it
// relevant, and hide it again when it stops being relevant. The conditions come from
// the instrument (see review_app/ratings/logic.py); the server rates from what is saved.
(function () {
  function answered(value) {
    return value !== null && value !== undefined && value !== "" &&
      !(Array.isArray(value) && value.length === 0);
  }

  function holds(c, values, caseType) {
    if ("case_type" in c) return caseType === c.case_type;
    if (c.all) return c.all.every(function (x) { return holds(x, values, caseType); });
    if (c.any) return c.any.some(function (x) { return holds(x, values, caseType); });
    if (c.not) return !holds(c.not, values, caseType);
    if (c.some) return c.some.some(function (q) { return values[q] === c.is; });
    if (c.none) return c.none.every(function (q) { return values[q] !== c.is; });
    var value = values[c.q];
    if ("answered" in c) return answered(value) === c.answered;
    if (!answered(value)) return false;
    if ("is" in c) return value === c.is;
    if (c.in) return c.in.indexOf(value) !== -1;
    if (c.not_in) return c.not_in.indexOf(value) === -1;
    if ("checked" in c) {
      if (!Array.isArray(value)) return false;
      if (c.checked === true) return value.length > 0;
      if (c.checked === false) return value.length === 0;
      return value.indexOf(c.checked) !== -1;
    }
    if (typeof value !== "number") return false;
    if ("gt" in c) return value > c.gt;
    if ("ge" in c) return value >= c.ge;
    if ("lt" in c) return value < c.lt;
    if ("le" in c) return value <= c.le;
    return false;
  }

  function read(form, id, kind) {
    if (kind === "multi") {
      return Array.prototype.map.call(
        form.querySelectorAll('input[name="' + id + '"]:checked'),
        function (box) { return box.value; });
    }
    if (kind === "yes_no" || kind === "yes_no_na" || kind === "choice") {
      var chosen = form.querySelector('input[name="' + id + '"]:checked');
      return chosen ? chosen.value : null;
    }
    var field = form.querySelector('[name="' + id + '"]');
    if (!field || field.value.trim() === "") return null;
    if (kind === "number") {
      return /^\d+$/.test(field.value.trim()) ? parseInt(field.value, 10) : field.value;
    }
    return field.value.trim();
  }

  function force(form, id, value, on) {
    form.querySelectorAll('input[name="' + id + '"]').forEach(function (input) {
      if (on) input.checked = input.value === value;
      input.disabled = on;
    });
  }

  function update(form, logic) {
    var values = Object.assign({}, logic.known);
    var shown = [];
    logic.order.forEach(function (id) {
      var slot = form.querySelector('[data-qid="' + id + '"]');
      var asked = logic.gates[id].every(function (c) { return holds(c, values, logic.case_type); });
      if (slot) slot.hidden = !asked;
      if (!asked) return;
      shown.push(id);
      var forced = logic.forced[id];
      var on = Boolean(forced) && holds(forced.when, values, logic.case_type);
      if (forced) force(form, id, forced.value, on);
      values[id] = on ? forced.value : read(form, id, logic.kinds[id]);
    });
    form.querySelector('input[name="shown"]').value = shown.join(",");
  }

  // Shared with the "still needs" block below, so both read answers the same way.
  window.itemPage = { holds: holds, read: read, answered: answered };

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-item-logic]");
    if (!form) return;
    var logic = JSON.parse(document.getElementById(form.dataset.itemLogic).textContent);
    var hint = document.getElementById("follow-up-hint");
    if (hint) hint.hidden = true;
    form.addEventListener("change", function () { update(form, logic); });
    form.addEventListener("input", function () { update(form, logic); });
    update(form, logic);
  });
})();

// Item pages: list what the item still needs as the reviewer answers, and show a narrative
// box only while its answer needs one. Same rules as review_app/ratings/completeness.py,
// from the data review_app/ratings/logic.py embeds; the server list is the one that counts.
// Runs after the follow-up block above has shown or hidden each question.
(function () {
  var STRENGTH = "strength", ANI = "ani", NA = "not_applicable", INCOMPLETE = "incomplete";

  function fits(appliesTo, caseType) {
    return !appliesTo || appliesTo.indexOf(caseType) !== -1;
  }

  function tableAnswered(form, id) {
    return Array.prototype.some.call(
      form.querySelectorAll('[name^="' + id + '__"]'),
      function (field) { return !/__rows$/.test(field.name) && field.value.trim() !== ""; });
  }

  // The answers of the questions now asked, as the server would evaluate them.
  function currentAnswers(form, logic) {
    var values = Object.assign({}, logic.known), asked = {};
    logic.order.forEach(function (id) {
      var slot = form.querySelector('[data-qid="' + id + '"]');
      if (!slot || slot.hidden) return;
      asked[id] = true;
      if (logic.kinds[id] === "table") {
        values[id] = tableAnswered(form, id) ? ["row"] : null;
      } else {
        values[id] = window.itemPage.read(form, id, logic.kinds[id]);
      }
    });
    var page = Array.prototype.map.call(
      form.querySelectorAll("[data-qid]"), function (slot) { return slot.dataset.qid; });
    return { values: values, asked: asked, page: page };
  }

  function rate(logic, state) {
    var r = logic.rating, holds = window.itemPage.holds;
    function missing(ids) {
      return ids.filter(function (id) {
        return state.asked[id] && logic.required.indexOf(id) !== -1 &&
          !window.itemPage.answered(state.values[id]);
      });
    }
    function apply(rule) {
      if (rule.na_when && holds(rule.na_when, state.values, logic.case_type)) return NA;
      return holds(rule.strength_when, state.values, logic.case_type) ? STRENGTH : ANI;
    }
    if (!r) return { rating: null, missing: missing(state.page) };
    if (!fits(r.applies_to, logic.case_type)) return { rating: NA, missing: [] };
    var gaps = missing(r.applicability);
    if (gaps.length) return { rating: INCOMPLETE, missing: gaps };
    if (r.applies_when && !holds(r.applies_when, state.values, logic.case_type)) {
      return { rating: NA, missing: [] };
    }
    gaps = missing(r.questions);
    if (!r.subitems.length) return { rating: gaps.length ? INCOMPLETE : apply(r.rule), missing: gaps };
    var ratings = r.subitems.map(function (sub) {
      if (!fits(sub.applies_to, logic.case_type) ||
          (sub.applies_when && !holds(sub.applies_when, state.values, logic.case_type))) return NA;
      var subGaps = missing(sub.questions);
      gaps = gaps.concat(subGaps);
      return subGaps.length ? INCOMPLETE : apply(sub.rule);
    });
    var rating = gaps.length || ratings.indexOf(INCOMPLETE) !== -1 ? INCOMPLETE
      : ratings.every(function (x) { return x === NA; }) ? NA
      : ratings.indexOf(ANI) !== -1 ? ANI : STRENGTH;
    return { rating: rating, missing: gaps };
  }

  function controlId(form, id) {
    var field = form.querySelector('[data-qid="' + id + '"] input, [data-qid="' + id + '"] select, [data-qid="' + id + '"] textarea');
    return field ? field.id : "q-" + id;
  }

  function needs(form, logic, state) {
    var result = rate(logic, state), list = [];
    result.missing.forEach(function (id) {
      list.push({ href: controlId(form, id), text: "Answer " + logic.labels[id] });
    });
    // Narratives the answers need (the face sheet's too), in page order.
    state.page.forEach(function (id) {
      var on = logic.narrative_on[id], value = state.values[id];
      if (!on || !state.asked[id] || on.indexOf(value) === -1) return;
      var box = form.querySelector('[name="' + id + '__narrative"]');
      if (box && box.value.trim() !== "") return;
      list.push({
        href: "a-" + id + "-narrative",
        text: "Explain the answer “" + (logic.answer_labels[value] || value) + "” to " + logic.labels[id],
      });
    });
    if (result.rating === STRENGTH || result.rating === ANI) {
      var rationale = form.querySelector('[name="rationale"]');
      if (!rationale || rationale.value.trim() === "") {
        list.push({ href: "rationale-text", text: "Write the rationale for the rating" });
      }
    }
    return list;
  }

  function showNarratives(form, logic, state) {
    form.querySelectorAll("[data-narrative-for]").forEach(function (box) {
      var id = box.dataset.narrativeFor, on = logic.narrative_on[id] || [];
      var needed = state.asked[id] && on.indexOf(state.values[id]) !== -1;
      // A box that shows an error stays, so the message is never hidden.
      box.hidden = !needed && !box.querySelector(".usa-error-message");
    });
  }

  function render(logic, list) {
    var ul = document.getElementById("still-needs-list");
    var count = document.getElementById("still-needs-count");
    if (!ul || !count) return;
    var text = list.length
      ? list.length + " thing" + (list.length !== 1 ? "s" : "") + " still needed" +
        (logic.rating ? " before the item is rated" : "") + ":"
      : "Nothing: every answer, narrative" + (logic.rating ? " and the rationale" : "") +
        " it needs is in place.";
    if (count.textContent !== text) count.textContent = text;
    ul.textContent = "";
    list.forEach(function (need) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = "#" + need.href;
      a.textContent = need.text;
      li.appendChild(a);
      ul.appendChild(li);
    });
    ul.hidden = list.length === 0;
  }

  function update(form, logic) {
    var state = currentAnswers(form, logic);
    showNarratives(form, logic, state);
    render(logic, needs(form, logic, state));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-item-logic]");
    if (!form || !window.itemPage) return;
    var logic = JSON.parse(document.getElementById(form.dataset.itemLogic).textContent);
    form.addEventListener("change", function () { update(form, logic); });
    form.addEventListener("input", function () { update(form, logic); });
    update(form, logic);
  });
})();

// The narrow-screen menu (USWDS) keeps keyboard focus while it is open. USWDS's own trap counts
// the links of closed submenus, which are hidden, as its last stop, so Tab from the last visible
// control left the menu for the page under it. This one asks, at each Tab, which controls can
// be seen now, and cycles through them; Escape (USWDS) closes the menu and focuses its button.
(function () {
  var FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled])," +
    " textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

  function visible(element) {
    return element.getClientRects().length > 0 && getComputedStyle(element).visibility !== "hidden";
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || !document.body.classList.contains("usa-js-mobile-nav--active")) {
      return;
    }
    var nav = document.querySelector(".usa-nav.is-visible");
    if (!nav) return;
    var stops = Array.prototype.filter.call(nav.querySelectorAll(FOCUSABLE), visible);
    if (!stops.length) return;
    var at = stops.indexOf(document.activeElement);
    var next;
    if (event.shiftKey) {
      next = at <= 0 ? stops[stops.length - 1] : null;
    } else {
      next = at === -1 || at === stops.length - 1 ? stops[0] : null;
    }
    // Inside the menu and not at either end: let the browser move on, but not USWDS's trap.
    event.stopImmediatePropagation();
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }, true);
})();

// A control in a table that scrolls sideways comes fully into view, focus ring included, when
// it takes focus. The browser scrolls only the part that holds the caret (for a date field,
// its month), so the rest of the field and its ring stayed cut off at the box's edge.
document.addEventListener("focusin", function (event) {
  var control = event.target;
  if (!control.closest) return;
  var box = control.closest(".usa-table-container--scrollable, .table-scroll");
  if (!box || box === control) return;
  var ring = 8; // the focus ring (app.css) and its gap
  var r = control.getBoundingClientRect();
  var b = box.getBoundingClientRect();
  if (r.right + ring > b.right) box.scrollLeft += r.right + ring - b.right;
  if (r.left - ring < b.left) box.scrollLeft -= b.left - (r.left - ring);
});

// A job's status page (templates/jobs/show.html) follows the job without a reload: it asks
// for the job's state every second while the job waits or runs, updates the progress bar and
// the words beside it, shows the buttons that fit the new state, and says once, through a
// polite live region, that the job finished. Without script the page refreshes itself.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("job");
  if (!box || box.getAttribute("data-active") !== "yes") return;
  var bar = document.getElementById("job-progress");
  var announce = document.getElementById("job-announce");
  function text(name, value) {
    var node = box.querySelector('[data-job="' + name + '"]');
    if (node) {
      node.textContent = value;
      node.hidden = !value;
    }
  }
  function show(name, visible) {
    box.querySelectorAll('[data-show="' + name + '"]').forEach(function (node) {
      node.hidden = !visible;
    });
  }
  function apply(state) {
    text("status_label", state.status_label);
    text("progress", state.progress);
    text("message", state.message);
    if (state.expires) text("expires", state.expires);
    if (state.units_total) {
      bar.max = state.units_total;
      bar.value = state.units_done;
    }
    bar.textContent = state.progress;
    show("active", !state.finished);
    show("retry", state.can_retry);
    show("download", !!state.download);
    if (state.download) box.querySelector("[data-job-download]").href = state.download;
    if (state.finished && state.problems) {
      window.location.reload(); // the page lists each refused row
      return false;
    }
    if (state.finished) {
      box.setAttribute("data-active", "no");
      announce.textContent =
        "The job is " + state.status_label.toLowerCase() + "." +
        (state.download ? " Its file is ready to download." : "") +
        (state.message ? " " + state.message : "");
    }
    return !state.finished;
  }
  function poll() {
    fetch(box.getAttribute("data-state-url"), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (state) {
        if (apply(state)) window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000); // a moment without the server: try again, less often
      });
  }
  window.setTimeout(poll, 500);
});
