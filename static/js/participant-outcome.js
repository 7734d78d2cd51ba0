/* The report-back page of a closed workshop: new follow-up notes and a published report arrive
   live on a phone that joined (its cookie opens the socket); others see them on reload. */
(function () {
  "use strict";
  var P = window.Planverksted;
  var code = document.body.dataset.code;
  var notes = document.getElementById("notes");
  var empty = document.getElementById("notes-empty");
  var report = document.getElementById("report-published");
  var strings = P.strings();

  /* A stored moment in Norwegian time, as the server writes it (a time without a zone is UTC),
     whatever zone the phone is set to. */
  function local(iso) {
    var d = new Date(/(Z|[+-]\d\d:?\d\d)$/i.test(iso) ? iso : iso + "Z");
    function two(n) { return ("0" + n).slice(-2); }
    try {
      var parts = {};
      new Intl.DateTimeFormat("en-GB", {
        timeZone: "Europe/Oslo", year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23"
      }).formatToParts(d).forEach(function (part) { parts[part.type] = part.value; });
      return parts.day + "." + parts.month + "." + parts.year + " " + parts.hour + ":" + parts.minute;
    } catch (e) {
      return two(d.getDate()) + "." + two(d.getMonth() + 1) + "." + d.getFullYear() + " " +
        two(d.getHours()) + ":" + two(d.getMinutes());
    }
  }

  function addNote(note) {
    if (!notes || notes.querySelector('[data-id="' + note.id + '"]')) return;
    var time = P.el("time", { datetime: note.at, text: local(note.at) });
    var text = P.el("span", { className: "note-text", text: note.text });
    var item = P.el("li", { "data-id": String(note.id) }, [time, document.createTextNode(" "), text]);
    notes.appendChild(item);
    if (empty) empty.hidden = true;
  }

  if (!window.io || !code) return;
  P.live({
    workshop: code,
    as: "participant",
    proposals: 0, // the page lists the outcome, not the proposals
    onSnapshot: function (snapshot) { (snapshot.notes || []).forEach(addNote); },
    onEvent: function (event) {
      var data = event.data || {};
      if (event.type === "note_added" && data.note) addNote(data.note);
      else if (event.type === "report_published" && report) report.hidden = !data.report_published;
      else if (event.type === "actions_changed") window.location.reload();
    }
  });
})();
