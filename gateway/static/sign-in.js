// Advocate console sign-in: posts the username and password as JSON, then opens the console.
"use strict";

(() => {
  const form = document.querySelector(".sign-in-form");
  const username = document.getElementById("username");
  const password = document.getElementById("password");
  const error = document.getElementById("sign-in-error");
  const submit = form.querySelector("button[type=submit]");
  let busy = false;

  function showError(sentence) {
    error.textContent = sentence;
    error.focus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    if (!username.value.trim() || !password.value) {
      showError("Enter your username and password.");
      return;
    }
    busy = true;
    submit.setAttribute("aria-disabled", "true");
    error.textContent = "";
    let response;
    try {
      response = await fetch("/console/api/sign-in", {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ username: username.value.trim(), password: password.value }),
      });
    } catch {
      busy = false;
      submit.removeAttribute("aria-disabled");
      showError("The console could not be reached. Check your connection and try again.");
      return;
    }
    if (response.status === 200) {
      password.value = "";
      window.location.assign("/console");
      return;
    }
    let sentence = "";
    try {
      const data = await response.json();
      if (data && typeof data.error === "string") sentence = data.error;
    } catch {
      // not JSON: fall back to the sentence below
    }
    password.value = "";
    busy = false;
    submit.removeAttribute("aria-disabled");
    showError(sentence || "Signing in did not work. Try again in a moment.");
  });
})();
