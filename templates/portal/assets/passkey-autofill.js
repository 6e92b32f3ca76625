// KOSMO member portal: passkey autofill on ログイン (issue 13). Loaded with the page's CSP nonce
// after the portal's own @simplewebauthn/browser bundle (global SimpleWebAuthnBrowser).
// Where the browser supports conditional mediation, the member's passkeys appear among the
// suggestions of the ユーザID field (autocomplete="username webauthn"); picking one runs the
// passkey's user verification and signs in without the password. Nothing changes for the
// ID + password form, and nothing is shown when the browser cannot do this.
(function () {
  'use strict';
  var form = document.getElementById('passkey-first-form');
  var lib = window.SimpleWebAuthnBrowser;
  if (!form || !lib || !lib.browserSupportsWebAuthnAutofill) return;
  var field = document.getElementById('passkey-first-response');
  var remember = document.getElementById('passkey-first-remember');
  var rememberBox = document.getElementById('remember');
  var csrf = form.querySelector('input[name="_csrf"]').value;

  lib
    .browserSupportsWebAuthnAutofill()
    .then(function (supported) {
      if (!supported) return null;
      return fetch(form.getAttribute('data-options-url'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: '_csrf=' + encodeURIComponent(csrf),
      }).then(function (res) {
        if (!res.ok || (res.headers.get('content-type') || '').indexOf('application/json') !== 0) return null;
        return res.json();
      });
    })
    .then(function (data) {
      if (!data || !data.options) return null;
      return lib.startAuthentication({ optionsJSON: data.options, useBrowserAutofill: true });
    })
    .then(function (response) {
      if (!response) return;
      field.value = JSON.stringify(response);
      remember.value = rememberBox && rememberBox.checked ? '1' : '';
      form.submit();
    })
    .catch(function () {
      // Cancelled, or another ceremony replaced this one: the password form stays as it is.
    });
})();
