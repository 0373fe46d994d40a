// Every form that posts carries a one-time key (idempotency_key), new on each page load: a second copy of the
// same submission (a double click, the browser resending after a lost answer) gets the first answer from the
// server instead of doing the work twice. While a form is being sent its buttons are disabled, and a second
// submit is dropped. No inline script: CSP allows only scripts from this site.
(function () {
  "use strict";
  var FIELD = "idempotency_key";
  var SENDING = "idempotencySending";
  var GIVE_UP_MS = 10000; // buttons come back if no page replaced this one; the key stays, so the server still dedupes

  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    var bytes = new Uint8Array(16); // randomUUID needs a secure context; plain http on a LAN has none
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function posts(form) {
    return form instanceof HTMLFormElement && form.method === "post";
  }

  function keyField(form) {
    var field = form.querySelector('input[name="' + FIELD + '"]');
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = FIELD;
      form.appendChild(field);
    }
    return field;
  }

  function stamp(form, renew) {
    var field = keyField(form);
    if (renew || !field.value) field.value = newKey();
  }

  function stampAll(root) {
    if (posts(root)) stamp(root, false);
    if (root.querySelectorAll) Array.prototype.forEach.call(root.querySelectorAll("form"), function (form) {
      if (posts(form)) stamp(form, false);
    });
  }

  function isHtmx(form) {
    return form.hasAttribute("hx-post") || form.hasAttribute("data-hx-post");
  }

  function buttons(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return (el.type === "submit" || el.type === "image") && !el.disabled;
    });
  }

  function lock(form) {
    form.dataset[SENDING] = "1";
    // Later, not now: a button disabled during the submit event would drop its own name and value from the data.
    window.setTimeout(function () {
      if (!form.dataset[SENDING]) return;
      buttons(form).forEach(function (button) {
        button.disabled = true;
        button.dataset.idempotencyDisabled = "1";
      });
    }, 0);
    form.idempotencyTimer = window.setTimeout(function () { unlock(form); }, GIVE_UP_MS);
  }

  function unlock(form) {
    window.clearTimeout(form.idempotencyTimer);
    delete form.dataset[SENDING];
    Array.prototype.forEach.call(form.elements, function (button) {
      if (button.dataset && button.dataset.idempotencyDisabled) {
        button.disabled = false;
        delete button.dataset.idempotencyDisabled;
      }
    });
  }

  // Capture, so that a second submit is dropped before htmx (which listens on the form itself) sees it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!posts(form)) return;
    if (form.dataset[SENDING]) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    stamp(form, false);
    if (isHtmx(form)) return; // htmx:beforeRequest locks it once htmx really sends
    lock(form);
    window.setTimeout(function () {
      if (event.defaultPrevented) unlock(form); // another script stopped this submission: nothing was sent
    }, 0);
  }, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (posts(form)) lock(form);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    // htmx sends the enclosing form's fields (the key too) with a request made by any element inside it.
    var form = posts(elt) ? elt : elt && elt.closest ? elt.closest("form") : null;
    if (!posts(form)) return;
    unlock(form);
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    // Answered: the next submission is a new one. No answer, or a server error (nothing was kept): a retry is the same one.
    if (status >= 200 && status < 500) stamp(form, true);
  });

  document.addEventListener("htmx:load", function (event) { stampAll(event.detail.elt); });

  // Back to this page from the browser's cache: the buttons work again; the key stays, so resending is still safe.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
      if (posts(form)) unlock(form);
    });
  });

  stampAll(document);
})();
