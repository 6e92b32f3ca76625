// KOSMO member portal: the passkey (WebAuthn) ceremonies of セキュリティキーの登録 and 生体認証.
// Loaded with the page's CSP nonce after /assets/webauthn/simplewebauthn-browser.js (the
// @simplewebauthn/browser bundle served by the portal itself, global SimpleWebAuthnBrowser).
// `登録` / `次へ` asks the portal for the options (POST with the CSRF token; the challenge stays in
// the server-side session), runs the ceremony, and submits the browser's answer as a form field.
(function () {
  'use strict';
  var form = document.getElementById('passkey-form');
  if (!form) return;
  var button = document.getElementById('passkey-start');
  var errorBox = document.getElementById('passkey-error');
  var field = document.getElementById('passkey-response');
  var ceremony = form.getAttribute('data-passkey');
  var lib = window.SimpleWebAuthnBrowser;

  var MESSAGES = {
    unsupported: 'このブラウザは生体認証(パスキー)に対応していません。推奨ブラウザの最新版をご利用ください。',
    cancelled: '生体認証がキャンセルされたか、時間内に完了しませんでした。もう一度お試しください。',
    registered: 'このデバイスのパスキーは既に登録されています。',
    failed: '生体認証を開始できませんでした。しばらく時間をおいてから再度お試しください。',
  };

  function show(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function messageFor(error) {
    var name = error && error.name;
    if (name === 'NotAllowedError' || name === 'AbortError') return MESSAGES.cancelled;
    if (name === 'InvalidStateError' && ceremony === 'register') return MESSAGES.registered;
    return MESSAGES.failed;
  }

  if (!lib || !lib.browserSupportsWebAuthn()) {
    show(MESSAGES.unsupported);
    button.disabled = true;
    return;
  }

  var LEFT = {};
  var busy = false;
  button.addEventListener('click', function () {
    if (busy) return;
    busy = true;
    button.disabled = true;
    errorBox.hidden = true;
    var csrf = form.querySelector('input[name="_csrf"]').value;
    fetch(form.getAttribute('data-options-url'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: '_csrf=' + encodeURIComponent(csrf),
    })
      .then(function (res) {
        var type = res.headers.get('content-type') || '';
        // Sent elsewhere (re-authentication, the session ended): follow the browser there.
        if (res.redirected && type.indexOf('text/html') === 0) {
          window.location.assign(res.url);
          throw LEFT;
        }
        if (!res.ok || type.indexOf('application/json') !== 0) throw new Error('options');
        return res.json();
      })
      .then(function (data) {
        return ceremony === 'register' ? lib.startRegistration({ optionsJSON: data.options }) : lib.startAuthentication({ optionsJSON: data.options });
      })
      .then(function (response) {
        field.value = JSON.stringify(response);
        form.submit();
      })
      .catch(function (error) {
        if (error === LEFT) return;
        busy = false;
        button.disabled = false;
        show(messageFor(error));
      });
  });
})();
