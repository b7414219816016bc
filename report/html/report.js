// The report's only script: loads pictures as their card nears the screen
// and filters cards and findings. Nothing here fetches anything.
(function () {
  "use strict";
  var $ = function (s) { return document.querySelector(s); };
  var $$ = function (s, root) { return Array.prototype.slice.call((root || document).querySelectorAll(s)); };

  // Pictures are data URIs held in data-src: decoding a thousand of them at
  // once would stall the page, so each is set when it comes near the view.
  var show = function (img) { img.src = img.getAttribute("data-src"); img.removeAttribute("data-src"); };
  var lazy = $$("img[data-src]");
  if ("IntersectionObserver" in window) {
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) { io.unobserve(e.target); show(e.target); }
      });
    }, { rootMargin: "1000px 0px" });
    lazy.forEach(function (img) { io.observe(img); });
  } else {
    lazy.forEach(show);
  }

  var cards = $$("article.card");
  var rule = $("#f-rule"), viewport = $("#f-viewport"), page = $("#f-page");
  var onlyFindings = $("#f-findings"), onlyNew = $("#f-new"), shown = $("#shown");

  function apply() {
    var sevs = {};
    $$("input[name=sev]").forEach(function (c) { if (c.checked) { sevs[c.value] = true; } });
    var allSevs = $$("input[name=sev]").every(function (c) { return c.checked; });
    var r = rule.value, vp = viewport.value, q = page.value.trim().toLowerCase();
    var newOnly = onlyNew ? onlyNew.checked : false;
    // A finding filter hides pages with no finding left; without one, clean
    // pages stay listed (unless asked not to).
    var findingFilter = r !== "" || newOnly || !allSevs || onlyFindings.checked;
    var nCards = 0, nFindings = 0;
    cards.forEach(function (card) {
      var pageOK = (vp === "" || card.getAttribute("data-viewport") === vp) &&
        (q === "" || (card.getAttribute("data-url") + " " + card.getAttribute("data-title")).toLowerCase().indexOf(q) >= 0);
      var left = 0;
      $$("li.finding", card).forEach(function (li) {
        var ok = pageOK && sevs[li.getAttribute("data-sev")] === true &&
          (r === "" || li.getAttribute("data-rule") === r) && (!newOnly || li.getAttribute("data-new") === "1");
        li.hidden = !ok;
        if (ok) { left++; }
      });
      var visible = pageOK && (left > 0 || !findingFilter);
      card.hidden = !visible;
      if (visible) { nCards++; nFindings += left; }
    });
    // The words are the report's language's, rendered into data-format:
    // {0} is the visits left visible, {1} all visits, {2} the findings left.
    var n = [nCards, cards.length, nFindings];
    shown.textContent = shown.getAttribute("data-format").replace(/\{([012])\}/g, function (_, i) { return n[i]; });
  }

  // Enter in the page filter must not submit the form (the report has no
  // server). Here, not in an onsubmit attribute: a dashboard's
  // Content-Security-Policy allows this script and no inline handler.
  $("#filters").addEventListener("submit", function (e) { e.preventDefault(); });
  $$("#filters input, #filters select").forEach(function (el) {
    el.addEventListener(el.type === "search" ? "input" : "change", apply);
  });
  $("#f-reset").addEventListener("click", function () {
    $$("input[name=sev]").forEach(function (c) { c.checked = true; });
    rule.value = ""; viewport.value = ""; page.value = "";
    onlyFindings.checked = false;
    if (onlyNew) { onlyNew.checked = false; }
    apply();
  });
  // A rule row of the summary shows that rule's findings.
  $$(".rule-row").forEach(function (row) {
    var pick = function () {
      rule.value = row.getAttribute("data-rule");
      apply();
      $("#pages").scrollIntoView();
    };
    row.addEventListener("click", pick);
    row.addEventListener("keydown", function (e) { if (e.key === "Enter") { pick(); } });
  });
  apply();
})();
