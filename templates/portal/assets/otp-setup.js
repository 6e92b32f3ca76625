// KOSMO member portal: ワンタイムパスワードの設定 (issue 12). Loaded with the page's CSP nonce.
// Without JavaScript the page still works: `スキャンできませんか?` is a <details> that opens by
// itself, and the key is plain, selectable text. With it:
// - on a phone (the screen the QR code is on cannot scan it) the key is shown open from the start;
// - `キーをコピー` copies the key (without the reading spaces) with navigator.clipboard.
(function () {
  'use strict';
  var manual = document.querySelector('details.otp-manual');
  if (!manual) return;

  if (window.matchMedia && window.matchMedia('(max-width: 480px)').matches) manual.open = true;

  var wrap = document.querySelector('.otp-copy');
  var button = document.getElementById('otp-copy');
  var status = document.getElementById('otp-copy-status');
  if (!wrap || !button || !status || !navigator.clipboard || !navigator.clipboard.writeText) return;
  wrap.hidden = false;
  button.addEventListener('click', function () {
    status.textContent = '';
    navigator.clipboard.writeText(button.getAttribute('data-key') || '').then(
      function () {
        status.textContent = 'キーをコピーしました。認証アプリに貼り付けてください。';
      },
      function () {
        status.textContent = 'コピーできませんでした。キーを長押しして選択し、コピーしてください。';
      },
    );
  });
})();
