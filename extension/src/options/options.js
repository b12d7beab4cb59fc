// The options page. Every change is saved at once (see settings.js for where).
import { DEFAULTS, loadApiKey, loadSettings, saveApiKey, saveSettings, originPattern } from "../settings.js";
import { MSG, ask } from "../messages.js";

const $ = (id) => document.getElementById(id);
let settings = await loadSettings();

function say(text, error = false) {
  $("server-state").textContent = text;
  $("server-state").classList.toggle("error", error);
}

function drawSites() {
  $("sites").replaceChildren(...settings.sites.map((site) => {
    const item = document.createElement("li");
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "Remove";
    remove.setAttribute("aria-label", "Remove " + site);
    remove.addEventListener("click", async () => {
      settings.sites = settings.sites.filter((s) => s !== site);
      await saveSettings({ sites: settings.sites });
      // Keep the permission if the site is the server itself; otherwise give it back.
      if (new URL(site).hostname !== new URL(settings.backendUrl).hostname) {
        await chrome.permissions.remove({ origins: [originPattern(site)] }).catch(() => {});
      }
      drawSites();
    });
    item.append(site, remove);
    return item;
  }));
  if (!settings.sites.length) $("sites").append(Object.assign(document.createElement("li"), { textContent: "None yet." }));
}

function drawEnabled() {
  $("enabled-state").textContent = settings.enabled
    ? "Reader Context is on: it analyses pages when you ask, and the sites above automatically."
    : "Reader Context is off everywhere: no page is analysed, and marks were removed from open pages.";
  $("toggle").textContent = settings.enabled ? "Turn off everywhere" : "Turn on";
}

$("backend").value = settings.backendUrl;
$("api-key").value = await loadApiKey();
$("server-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const url = new URL($("backend").value || DEFAULTS.backendUrl);
  // A server elsewhere than the default needs its own host permission, asked for now, during the click.
  if (!(await chrome.permissions.request({ origins: [originPattern(url.origin)] }))) {
    say("Without permission to reach " + url.origin + " the extension cannot use that server.", true);
    return;
  }
  settings.backendUrl = url.origin + url.pathname.replace(/\/+$/, "");
  await saveSettings({ backendUrl: settings.backendUrl });
  await saveApiKey($("api-key").value.trim());
  say("Saved.");
});
$("check").addEventListener("click", async () => {
  say("Checking\u2026");
  try {
    const health = await ask({ type: MSG.HEALTH });
    say(`Connected: Reader Context ${health.version}, ${health.knowledge.entities.toLocaleString("en")} entities.`);
  } catch (error) {
    say(error.message, true);
  }
});

for (const kind of ["entity", "term"]) {
  $("kind-" + kind).checked = settings.kinds[kind];
  $("kind-" + kind).addEventListener("change", async (event) => {
    settings.kinds = { ...settings.kinds, [kind]: event.target.checked };
    await saveSettings({ kinds: settings.kinds });
  });
}

for (const radio of document.querySelectorAll("input[name=density]")) {
  radio.checked = radio.value === settings.density;
  radio.addEventListener("change", () => saveSettings({ density: radio.value }));
}

$("site-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const origin = new URL($("site").value).origin;
  if (!(await chrome.permissions.request({ origins: [originPattern(origin)] }))) return;
  if (!settings.sites.includes(origin)) settings.sites = [...settings.sites, origin];
  await saveSettings({ sites: settings.sites });
  $("site").value = "";
  drawSites();
});

$("toggle").addEventListener("click", async () => {
  settings.enabled = !settings.enabled;
  await saveSettings({ enabled: settings.enabled });
  drawEnabled();
});

drawSites();
drawEnabled();
