/* Date boxes: every `input.vn-date` (core.fields.VNDateInput) gets the vendored flatpickr calendar in
   Vietnamese, dd/mm/yyyy whatever the browser's language. Typing stays possible (allowInput): "15/05/2017",
   "1/5/2017" and "2017-05-15" are all read, and shown back as dd/mm/yyyy. A value the picker cannot read is
   left as typed so the server answers with its Vietnamese message instead of the box silently emptying.
   Runs on page load and on every htmx swap (htmx:load), never twice on one box. No inline script: CSP-safe. */
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function validDate(y, m, d) {
    var date = new Date(y, m - 1, d);
    if (date.getFullYear() !== y || date.getMonth() !== m - 1 || date.getDate() !== d) { return undefined; }
    return date;
  }

  // dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) or ISO yyyy-mm-dd; anything else: undefined.
  function parseVnDate(text) {
    var s = String(text || "").trim();
    var m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
    if (m) { return validDate(+m[3], +m[2], +m[1]); }
    m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
    if (m) { return validDate(+m[1], +m[2], +m[3]); }
    return undefined;
  }

  function formatVnDate(date) {
    return pad(date.getDate()) + "/" + pad(date.getMonth() + 1) + "/" + date.getFullYear();
  }

  function attach(input) {
    if (input._flatpickr || typeof flatpickr === "undefined") { return; }
    var locale = (flatpickr.l10ns && flatpickr.l10ns.vn) || "default";
    var picker = flatpickr(input, {
      locale: locale,
      dateFormat: "d/m/Y",
      allowInput: true,
      disableMobile: true,  // never the phone's native date input (its format follows the phone's language)
      clickOpens: true,
      parseDate: function (text) { return parseVnDate(text); },
      formatDate: function (date) { return formatVnDate(date); },
      errorHandler: function () {},
    });
    // flatpickr empties a box whose text it cannot read; keep the text for the server's message instead.
    var setDate = picker.setDate;
    picker.setDate = function (value, triggerChange, format) {
      var typed = input.value;
      setDate.call(picker, value, triggerChange, format);
      if (typeof value === "string" && value.trim() && !picker.selectedDates.length) { input.value = typed; }
    };
    // Typing means the calendar is not wanted: close it so it does not cover the fields below.
    input.addEventListener("input", function () { if (picker.isOpen) { picker.close(); } });
  }

  function attachAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches("input.vn-date")) { attach(scope); }
    Array.prototype.forEach.call(scope.querySelectorAll("input.vn-date"), attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { attachAll(document); });
  } else {
    attachAll(document);
  }
  document.addEventListener("htmx:load", function (event) { attachAll(event.target); });
})();

/* Searchable pickers: every `select[data-picker]` becomes the vendored Tom Select (loaded by the pages that
   have pickers: templates/_picker_js.html). Typing filters without diacritics, the same folding as the server
   (core.text.fold): "phuong 6" finds "Phường 6", "minh tam" finds "Minh Tâm". A multiple select picks by
   clicking, no Ctrl key. Without JavaScript the plain <select> stays and works.
   - data-picker-url: a JSON search (`?q=`, answering {"results": [{"value", "text"}]}) asked as one types;
   - data-picker-depends="id_x": the value of that select is sent as its name (`province=`); when it changes
     the picker empties and reloads that province's list;
   - data-picker-min: characters to type before searching the server (default 1);
   - data-picker-create="id": «Tạo mới» opens that box with the typed name (see initQuickCreate);
   - data-picker-hides="id": a box the picker replaces (its column is hidden);
   - data-picker-empty: the empty choice means something ("— Cục: kế hoạch quốc gia … —") and stays offered.
   The đề án form's plan select (`data-plan-options`) refills the code, the batches and the province. */
(function () {
  "use strict";

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d").toLowerCase();
  }

  // Every folded word typed must appear in the folded option text.
  function foldedScore(search) {
    var words = fold(search).split(/\s+/).filter(Boolean);
    return function (item) {
      if (!words.length) { return 1; }
      var text = item.$folded || (item.$folded = fold(item.text));
      for (var i = 0; i < words.length; i++) {
        if (text.indexOf(words[i]) < 0) { return 0; }
      }
      return 1;
    };
  }

  function getJSON(url, params) {
    var query = new URLSearchParams(params || {}).toString();
    return fetch(url + (query ? (url.indexOf("?") < 0 ? "?" : "&") + query : ""), {
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" },
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    });
  }

  function dependsOn(select) {
    var id = select.getAttribute("data-picker-depends");
    return id ? document.getElementById(id) : null;
  }

  function params(select, query) {
    var out = { q: query || "" };
    var other = dependsOn(select);
    if (other && other.value) { out[other.name || "province"] = other.value; }
    return out;
  }

  // Replace a picker's options by the server's list for the current value of what it depends on.
  function reload(select) {
    var ts = select.tomselect;
    var url = select.getAttribute("data-picker-url");
    if (!ts || !url) { return; }
    ts.clear(true);
    ts.clearOptions(function () { return false; });
    var other = dependsOn(select);
    if (other && !other.value) { ts.refreshOptions(false); return; }
    getJSON(url, params(select, "")).then(function (data) {
      ts.addOptions(data.results || []);
      ts.refreshOptions(false);
    }).catch(function () {});
  }

  // After a late search answer: a single select whose choice is made and nothing typed stays closed.
  function settle(ts) {
    if (ts && !ts.settings.mode.match(/multi/) && ts.getValue() && !ts.inputValue()) { ts.close(); }
  }

  function attachPicker(select) {
    if (select.tomselect || typeof TomSelect === "undefined") { return; }
    var url = select.getAttribute("data-picker-url");
    var min = parseInt(select.getAttribute("data-picker-min") || "1", 10);
    var createBox = select.getAttribute("data-picker-create");
    var multiple = select.multiple;
    var plugins = multiple ? { remove_button: { title: "Bỏ chọn", label: "×" } }
      : (select.required ? {} : { clear_button: { title: "Bỏ chọn" } });
    var settings = {
      plugins: plugins,
      maxOptions: 50,
      placeholder: select.getAttribute("data-picker-placeholder") || "Gõ để tìm",
      hidePlaceholder: multiple,
      closeAfterSelect: !multiple,
      // The list opens on typing (or ↓), not on focus: Tom Select gives its box the focus back just after a
      // pick, which would open the list again over the next field.
      openOnFocus: false,
      allowEmptyOption: select.hasAttribute("data-picker-empty"),  // the empty choice has a meaning
      score: foldedScore,
      render: {
        no_results: function () {
          return '<div class="no-results">Không tìm thấy. Gõ khác đi (không cần dấu).</div>';
        },
        loading: function () { return '<div class="loading small text-muted px-2">Đang tìm…</div>'; },
        option_create: function (data, escape) {
          return '<div class="create">Tạo mới cơ sở «<strong>' + escape(data.input) + '</strong>»…</div>';
        },
        not_loading: function (data) {
          if (min > 1 && data.input.length < min) {
            return '<div class="no-results">Gõ ít nhất ' + min + ' ký tự để tìm.</div>';
          }
        },
      },
    };
    if (url) {
      settings.loadThrottle = 250;
      settings.shouldLoad = function (query) { return fold(query).trim().length >= min; };
      settings.load = function (query, callback) {
        getJSON(url, params(select, query)).then(function (data) {
          callback(data.results || []);
          settle(this);
        }.bind(this)).catch(function () { callback(); });
      };
    }
    if (createBox) {
      settings.create = function (input) { openQuickCreate(createBox, select, input); };
      // A name, not a tax code being searched.
      settings.createFilter = function (input) { return input.trim().length >= 2 && !/^[\d\s-]+$/.test(input); };
    }
    // Tom Select points the <label> at its own box; the hidden <select> keeps a name of its own (axe:
    // select-name) from the label it had.
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label && !select.getAttribute("aria-label")) {
      select.setAttribute("aria-label", label.textContent.trim());
    }
    var ts = new TomSelect(select, settings);
    // A pick starts the next search afresh (a multiple select keeps the typed text otherwise). A single
    // select closes after a pick and stays closed: Tom Select gives its box the focus back just after the
    // click (which opens the list again) and a search answer arriving late would open it too.
    var pickedAt = 0;
    ts.on("item_add", function () {
      pickedAt = Date.now();
      if (multiple) { ts.setTextboxValue(""); ts.refreshOptions(false); }
    });
    ts.on("dropdown_open", function () {
      if (!multiple && Date.now() - pickedAt < 600 && !ts.inputValue()) { ts.close(); }
    });
    var other = dependsOn(select);
    if (other) { other.addEventListener("change", function () { reload(select); }); }
    var hides = select.getAttribute("data-picker-hides");
    var hidden = hides && document.getElementById(hides);
    if (hidden) {
      var box = hidden.closest(".col-md-6, .mb-2") || hidden;
      box.hidden = true;
    }
    document.documentElement.classList.add("kc-js-pickers");
    return ts;
  }

  // ------------------------------------------------------------------------------------ «Tạo mới» box
  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function openQuickCreate(boxId, target, name) {
    var box = document.getElementById(boxId);
    if (!box) { return; }
    box.hidden = false;
    box._target = target;
    box.querySelector("[data-qc=name]").value = name || "";
    box.querySelector("[data-testid=quick-create-error]").textContent = "";
    var commune = box.querySelector("[data-qc=commune]");
    if (commune && !commune.tomselect) {
      // The same communes as the đề án's own picker (its province), the đề án's commune first chosen.
      var own = document.getElementById("id_commune");
      if (own) {
        Array.prototype.forEach.call(own.options, function (o) {
          if (o.value) { commune.add(new Option(o.text, o.value, false, o.value === own.value)); }
        });
      }
      attachPicker(commune);
    }
    if (target.tomselect) { target.tomselect.blur(); }
    box.querySelector("[data-qc=name]").focus();
  }

  function initQuickCreate(box) {
    if (box._ready) { return; }
    box._ready = true;
    var form = box.closest("form");
    // Enter in the box must not send the đề án form.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.tagName !== "BUTTON") { event.preventDefault(); }
    });
    box.querySelector("[data-qc-cancel]").addEventListener("click", function () { box.hidden = true; });
    box.querySelector("[data-qc-save]").addEventListener("click", function () {
      var body = new URLSearchParams();
      Array.prototype.forEach.call(box.querySelectorAll("[data-qc]"), function (el) {
        body.set(el.getAttribute("data-qc"), el.value || "");
      });
      var error = box.querySelector("[data-testid=quick-create-error]");
      error.textContent = "";
      fetch(box.getAttribute("data-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), "Accept": "application/json" },
        body: body,
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (answer) {
        if (!answer.ok) {
          error.textContent = (answer.data.error && answer.data.error.message) || "Chưa tạo được cơ sở.";
          return;
        }
        var ts = box._target && box._target.tomselect;
        if (ts) {
          ts.addOption(answer.data);
          ts.addItem(String(answer.data.value));
        }
        box.hidden = true;
      }).catch(function () { error.textContent = "Không gửi được. Hãy thử lại."; });
    });
  }

  // ------------------------------------------------------------------------ the đề án form's plan
  function initPlanOptions(select) {
    if (select._planOptions) { return; }
    select._planOptions = true;
    var pattern = select.getAttribute("data-plan-options");
    var code = document.getElementById("id_code");
    var suggested = code ? code.value : "";
    select.addEventListener("change", function () {
      if (!select.value) { return; }
      getJSON(pattern.replace("/0/", "/" + select.value + "/")).then(function (data) {
        if (code && (!code.value || code.value === suggested)) { code.value = data.code; }
        suggested = data.code;
        var batch = document.getElementById("id_batch");
        if (batch) {
          batch.innerHTML = "";
          batch.add(new Option(data.batches.length ? "---------" : "— Kế hoạch chưa có đợt —", ""));
          data.batches.forEach(function (b) { batch.add(new Option(b.text, b.value)); });
        }
        var province = document.getElementById("id_province");
        if (province && data.province && province.value !== String(data.province)) {
          if (province.tomselect) { province.tomselect.setValue(String(data.province)); }
          else { province.value = String(data.province); province.dispatchEvent(new Event("change")); }
        }
      }).catch(function () {});
    });
  }

  function attachAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    Array.prototype.forEach.call(scope.querySelectorAll("select[data-picker]"), attachPicker);
    Array.prototype.forEach.call(scope.querySelectorAll(".kc-quick-create"), initQuickCreate);
    Array.prototype.forEach.call(scope.querySelectorAll("select[data-plan-options]"), initPlanOptions);
  }

  // An htmx swap that replaces a picker's <select> (the plan form's unit list) must take its picker along.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.tomselect) { target.tomselect.destroy(); }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { attachAll(document); });
  } else {
    attachAll(document);
  }
  document.addEventListener("htmx:load", function (event) { attachAll(event.target); });
})();
