// main.js starts the dashboard: it picks the view for the URL's fragment
// and shows sign-in whenever there is no token (or the server refused it).
//
//   #/             the apps list   (apps.js)
//   #/apps/NAME    one app         (app.js)
//
// Each view gets an AbortSignal. Leaving the view aborts it, which ends
// the view's open streams (logs, events) and its timers (metrics).

import { get, setToken, signOut, token, ApiError } from "./api.js";
import { announce, view } from "./dom.js";
import { showApps } from "./apps.js";
import { showApp } from "./app.js";

const main = document.getElementById("main");
let leave = new AbortController();

// route shows the view the URL asks for.
function route() {
  leave.abort();
  leave = new AbortController();
  const signedIn = token() !== null;
  document.getElementById("sign-out").hidden = !signedIn;
  document.getElementById("nav").hidden = !signedIn;
  if (!signedIn) {
    showSignIn();
    return;
  }

  const match = location.hash.match(/^#\/apps\/([^/]+)$/);
  const show = match
    ? showApp(main, decodeURIComponent(match[1]), leave.signal)
    : showApps(main, leave.signal);
  show.catch((err) => showError(err));
}

// showSignIn asks for a token, and checks it with a cheap call before
// keeping it.
function showSignIn(reason) {
  main.replaceChildren(view("signin"));
  const form = main.querySelector("#signin-form");
  const error = main.querySelector("#signin-error");
  error.textContent = reason || "";
  form.token.focus();

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const value = form.token.value.trim();
    if (value === "") {
      error.textContent = "Enter a token.";
      return;
    }
    setToken(value);
    try {
      await get("/v1/apps");
    } catch (err) {
      // Forget a token that does not work (a 401 already has).
      signOut();
      error.textContent = err instanceof ApiError && err.status === 401
        ? "The server refused this token." : `Could not reach the server: ${err.message}`;
      form.token.focus();
      return;
    }
    announce("Signed in");
    route();
  });
}

// showError replaces the view with what went wrong.
function showError(err) {
  if (err.name === "AbortError" || token() === null) return;
  const p = document.createElement("p");
  p.className = "error";
  p.setAttribute("role", "alert");
  p.textContent = `Could not load this page: ${err.message}`;
  main.replaceChildren(p);
}

window.addEventListener("hashchange", () => {
  // "#main", of the skip link, is a place in the page, not a view.
  if (!location.hash.startsWith("#/")) return;
  route();
  main.focus(); // so that keyboard and screen reader users start at the new view
});

// api.js fires this on sign-out and on any 401 answer.
window.addEventListener("shibafu:signed-out", (e) => {
  if (main.querySelector("#signin-form")) return; // already there
  leave.abort();
  document.getElementById("sign-out").hidden = true;
  document.getElementById("nav").hidden = true;
  showSignIn(e.detail ? `Signed out: ${e.detail}` : "");
});

document.getElementById("sign-out").addEventListener("click", () => signOut());

route();
