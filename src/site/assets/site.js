/* global document */
// Optional enhancements of the website; every page works without this file.
// Fills a time-zone choice with the browser's own zone when it is offered.
(function () {
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return;
  }
  if (!zone) return;
  var fields = document.querySelectorAll('select[data-time-zone]');
  for (var i = 0; i < fields.length; i++) {
    var field = fields[i];
    if (field.getAttribute('data-chosen') === 'true') continue;
    for (var j = 0; j < field.options.length; j++) {
      if (field.options[j].value === zone) {
        field.value = zone;
        break;
      }
    }
  }
})();
// A form shown again with messages: the summary of what to fix gets the focus, so it is read first.
(function () {
  var summary = document.querySelector('[data-error-summary]');
  if (summary && typeof summary.focus === 'function') summary.focus();
})();
