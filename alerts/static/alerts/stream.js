// Live alerts: an EventSource on /alerts/stream; the browser resends Last-Event-ID when it reconnects,
// so the server replays what was missed. New alerts go to the top of the inbox; acknowledgements
// update the originator's table. Text is inserted with textContent only.
(function () {
  "use strict";
  var list = document.getElementById("alert-list");
  var acks = document.getElementById("acks");
  var host = list || acks;
  if (!host || !window.EventSource) return;
  var status = document.getElementById("live-status");
  var source = new EventSource(host.dataset.stream);

  function say(key) { if (status) status.textContent = status.dataset[key] || ""; }

  function addAlert(data) {
    var empty = list.querySelector(".empty");
    if (empty) empty.remove();
    var old = list.querySelector('[data-alert="' + data.alert + '"]');
    if (old) old.remove();
    var li = document.createElement("li");
    li.className = "alert-item fresh severity-" + String(data.severity).toLowerCase() + (data.status === "cancelled" ? " cancelled" : "");
    li.dataset.alert = data.alert;
    var a = document.createElement("a");
    a.href = data.url;
    var strong = document.createElement("strong");
    strong.textContent = data.reference;
    a.appendChild(strong);
    a.appendChild(document.createTextNode(": " + data.headline));
    li.appendChild(a);
    [data.category, data.severity, data.urgency, data.kind].forEach(function (text) {
      var badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = text;
      li.appendChild(document.createTextNode(" "));
      li.appendChild(badge);
    });
    list.insertBefore(li, list.firstChild);
    if (status) status.textContent = (status.dataset["new"] || "") + ": " + data.reference + " " + data.headline;
  }

  function addAck(data) {
    if (String(data.alert) !== acks.dataset.alert) return;
    var body = acks.tBodies[0];
    var row = document.createElement("tr");
    row.dataset.office = data.office;
    [data.office, data.acknowledged_by, new Date(data.at).toLocaleString(), data.action_taken].forEach(function (text) {
      var cell = document.createElement("td");
      cell.textContent = text || "";
      row.appendChild(cell);
    });
    var old = body.querySelector('tr[data-office="' + CSS.escape(data.office) + '"]');
    if (old) { old.replaceWith(row); } else {
      body.appendChild(row);
      var count = document.getElementById("ack-count");
      if (count) count.textContent = String(parseInt(count.textContent, 10) + 1);
    }
  }

  source.onopen = function () { say("connected"); };
  source.onerror = function () { say("offline"); };
  source.onmessage = function (message) {
    var data = JSON.parse(message.data);
    if (data.kind === "acknowledged") { if (acks) addAck(data); }
    else if (list) { addAlert(data); }
  };
})();
