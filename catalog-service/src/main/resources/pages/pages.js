// The catalog's pages work without this file; it adds copy buttons and, on the page of a build
// still running, follows the build through the JSON API's long poll and swaps in the finished
// page's contents when it ends, without reloading.
"use strict";

(function () {
  function status(text) {
    var live = document.getElementById("copy-status");
    if (live) {
      live.textContent = text;
    }
  }

  function copyFallback(area) {
    area.focus();
    area.select();
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  function copy(button) {
    var area = document.getElementById(button.getAttribute("data-copy"));
    if (!area) {
      return;
    }
    var done = function () { status("Copied to the clipboard."); };
    var failed = function () {
      if (copyFallback(area)) {
        done();
      } else {
        status("Copying failed: the citation is selected, copy it with your keyboard.");
      }
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(area.value).then(done, failed);
    } else {
      failed();
    }
  }

  function enableCopyButtons(root) {
    var buttons = root.querySelectorAll("button.copy[data-copy]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function (event) { copy(event.currentTarget); });
    }
  }

  function showProgress(v) {
    var bar = document.getElementById("build-progress");
    var text = document.getElementById("build-status");
    var badge = document.getElementById("status-text");
    var p = v.progress || {};
    if (badge) {
      badge.textContent = v.status;
    }
    if (bar && p.partitions_total > 0) {
      bar.max = p.partitions_total;
      bar.value = p.partitions_done;
      bar.textContent = p.partitions_done + " of " + p.partitions_total;
    }
    if (text) {
      text.textContent = p.partitions_total > 0
        ? p.partitions_done + " of " + p.partitions_total + " partitions, " + p.rows + " rows so far."
        : v.status === "EXECUTING"
          ? "The build is planning its partitions."
          : "Waiting for a free build slot.";
    }
  }

  // The finished page comes from the server, rendered as any visit would render it.
  function swapInFinishedPage() {
    return fetch(window.location.href, { headers: { Accept: "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var next = fresh.getElementById("version");
        var current = document.getElementById("version");
        if (!next || !current) {
          return;
        }
        var ld = fresh.getElementById("json-ld");
        var oldLd = document.getElementById("json-ld");
        if (ld && oldLd) {
          oldLd.textContent = ld.textContent;
        } else if (ld) {
          document.head.appendChild(document.importNode(ld, true));
        }
        var imported = document.importNode(next, true);
        current.replaceWith(imported);
        enableCopyButtons(imported);
        var live = document.createElement("p");
        live.className = "sr-only";
        live.setAttribute("role", "status");
        live.textContent = "The build ended: " + imported.querySelector("#status-text").textContent;
        imported.prepend(live);
      });
  }

  function follow(root) {
    var api = root.getAttribute("data-api");
    var poll = function () {
      fetch(api + "?wait=30", { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("status " + response.status);
          }
          return response.json();
        })
        .then(function (v) {
          if (["PENDING", "QUEUED", "EXECUTING"].indexOf(v.status) >= 0) {
            showProgress(v);
            poll();
          } else {
            return swapInFinishedPage();
          }
        })
        .catch(function () {
          // The service restarting or the network blinking: try again a little later.
          window.setTimeout(poll, 5000);
        });
    };
    poll();
  }

  function start() {
    enableCopyButtons(document);
    var root = document.getElementById("version");
    if (root && root.getAttribute("data-active") === "true") {
      follow(root);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
