// Marks the page as able to run NHS.UK frontend, the job of the inline
// <script> in nhsuk's own page template. It runs as the first child of <body>
// (a normal blocking script, so the class is there before the first paint)
// because nhsuk checks document.body, which does not exist yet in <head>.
// Browsers without ES modules get only "js-enabled" and the no-JS styles.
(function () {
  "use strict";
  var body = document.body;
  body.className += " js-enabled" +
    ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
})();
