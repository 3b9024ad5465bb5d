// The agenda works without this; it only offers the reader's own time
// zone, which a server cannot know, as a one-click choice.
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  var button = document.getElementById("use-my-zone");
  var input = document.getElementById("agenda-tz");
  var shown = document.getElementById("shown-zone");
  if (!zone || !button || !input || (shown && shown.textContent === zone)) { return; }
  button.textContent = "Use my time zone (" + zone + ")";
  button.hidden = false;
  button.addEventListener("click", function () {
    input.value = zone;
    input.form.submit();
  });
})();
